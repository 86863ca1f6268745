import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { buildCluster, parseManifestText, type Cluster, type InputError, type RawObject } from '../engine/index.js';
import { CliError } from './cli-error.js';

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/** Files under the given paths, directories walked recursively in name order. */
export function manifestFiles(paths: readonly string[]): string[] {
  const files: string[] = [];
  const walk = (path: string, explicit: boolean) => {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      throw new CliError(`${path}: no such file or directory`);
    }
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path).sort()) if (!entry.startsWith('.')) walk(join(path, entry), false);
    } else if (explicit || MANIFEST_EXTENSIONS.has(extname(path).toLowerCase())) {
      files.push(path);
    }
  };
  for (const p of paths) walk(p, true);
  return files;
}

export interface LoadedCluster {
  cluster: Cluster;
  /** Parse errors and invalid objects, in input order. */
  errors: InputError[];
  files: number;
}

export function loadCluster(paths: readonly string[]): LoadedCluster {
  const files = manifestFiles(paths);
  if (files.length === 0) throw new CliError(`no .yaml, .yml or .json files under ${paths.join(', ')}`);
  const objects: RawObject[] = [];
  const errors: InputError[] = [];
  for (const file of files) {
    const parsed = parseManifestText(readFileSync(file, 'utf8'), file);
    objects.push(...parsed.objects);
    errors.push(...parsed.errors);
  }
  const cluster = buildCluster(objects);
  errors.push(...cluster.errors);
  return { cluster, errors, files: files.length };
}
