import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { parseManifestText, type InputError, type RawObject } from '../engine/index.js';

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

export class ManifestPathError extends Error {}

/** Files under the given paths, directories walked recursively in name order (dot-files skipped). */
export function manifestFiles(paths: readonly string[]): string[] {
  const files: string[] = [];
  const walk = (path: string, explicit: boolean) => {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      throw new ManifestPathError(`${path}: no such file or directory`);
    }
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path).sort()) if (!entry.startsWith('.')) walk(join(path, entry), false);
    } else if (explicit || MANIFEST_EXTENSIONS.has(extname(path).toLowerCase())) {
      files.push(path);
    }
  };
  for (const p of paths) walk(p, true);
  if (files.length === 0) throw new ManifestPathError(`no .yaml, .yml or .json files under ${paths.join(', ')}`);
  return files;
}

export interface ManifestObjects {
  objects: RawObject[];
  /** Documents that could not be read (malformed YAML/JSON). */
  errors: InputError[];
  files: number;
}

/** Manifests as users keep them in git: audit what is declared. */
export function readManifests(paths: readonly string[]): ManifestObjects {
  const files = manifestFiles(paths);
  const objects: RawObject[] = [];
  const errors: InputError[] = [];
  for (const file of files) {
    const parsed = parseManifestText(readFileSync(file, 'utf8'), file);
    // Not push(...spread): a 150k-item list would overflow the call stack.
    for (const o of parsed.objects) objects.push(o);
    for (const e of parsed.errors) errors.push(e);
  }
  return { objects, errors, files: files.length };
}
