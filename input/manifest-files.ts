import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import picomatch from 'picomatch';
import { parseManifestText, type InputError, type RawObject } from '../engine/index.js';
import { isWithin, realPathOf } from './manifest-source.js';

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/** Never manifests of the repository itself: installed packages. Hidden entries (`.git`) are skipped too. */
const SKIPPED_DIRECTORIES = new Set(['node_modules']);

export class ManifestPathError extends Error {}

export interface ManifestOptions {
  /** Globs of files or directories to leave out, relative to the path given (`charts/**`, `*.test.yaml`). */
  exclude?: readonly string[];
  /**
   * A directory no symlink is followed out of (a registered source's root): a link to `/etc`
   * inside it is named, never read.
   */
  confineTo?: string;
}

export interface ManifestFiles {
  files: string[];
  /** Entries not read, each a line naming the path and why (a symlink out of bounds, a loop, a FIFO). */
  notFollowed: string[];
}

/**
 * Files under the given paths, directories walked recursively in name order (dot-files,
 * `node_modules` and excluded paths skipped). A path given explicitly is always read. Each
 * directory is read once: a symlink loop, or a second link to a directory, is not followed.
 */
export function manifestFiles(paths: readonly string[], options: ManifestOptions = {}): ManifestFiles {
  // A glob without a slash matches a name at any depth, as .gitignore does.
  const excluded = options.exclude?.length
    ? picomatch([...options.exclude], { dot: true, basename: true })
    : () => false;
  const bound = options.confineTo === undefined ? undefined : (realPathOf(options.confineTo) ?? options.confineTo);
  const files: string[] = [];
  const notFollowed: string[] = [];
  const seen = new Set<string>();
  const walk = (root: string, path: string, explicit: boolean) => {
    if (!explicit && excluded(relative(root, path).split(sep).join('/'))) return;
    let stat;
    const real = realPathOf(path);
    try {
      stat = statSync(path);
    } catch {
      if (explicit) throw new ManifestPathError(`${path}: no such file or directory`);
      notFollowed.push(`${path}: cannot be read (a dangling symlink?); not followed`);
      return;
    }
    if (bound !== undefined && (real === undefined || !isWithin(bound, real))) {
      // The target is not named: it would tell what exists outside.
      if (explicit) throw new ManifestPathError(`${path}: leads outside ${options.confineTo} through a symlink`);
      notFollowed.push(`${path}: a symlink leading outside ${options.confineTo}; not followed`);
      return;
    }
    if (stat.isDirectory()) {
      if (seen.has(real!)) {
        notFollowed.push(`${path}: a directory already read (a symlink loop?); not followed`);
        return;
      }
      seen.add(real!);
      for (const entry of readdirSync(path).sort()) {
        if (!entry.startsWith('.') && !SKIPPED_DIRECTORIES.has(entry)) walk(root, join(path, entry), false);
      }
    } else if (!stat.isFile()) {
      // A FIFO or device would block or never end.
      if (explicit) throw new ManifestPathError(`${path}: not a regular file or directory`);
      notFollowed.push(`${path}: not a regular file; not read`);
    } else if (explicit || MANIFEST_EXTENSIONS.has(extname(path).toLowerCase())) {
      files.push(path);
    }
  };
  for (const p of paths) walk(p, p, true);
  if (files.length === 0) throw new ManifestPathError(`no .yaml, .yml or .json files under ${paths.join(', ')}`);
  return { files, notFollowed };
}

export interface ManifestObjects {
  objects: RawObject[];
  /** Documents that could not be read (malformed YAML/JSON). */
  errors: InputError[];
  files: number;
  /** The files read, in the order read. */
  fileNames: string[];
  /** Files with no Kubernetes object in them (Helm values, CI configs): neither read nor errors. */
  skippedFiles: string[];
  /** Symlinks not followed (out of bounds, loops), one line each. */
  notFollowed: string[];
}

/** Manifests as users keep them in git: audit what is declared. */
export function readManifests(paths: readonly string[], options: ManifestOptions = {}): ManifestObjects {
  const { files, notFollowed } = manifestFiles(paths, options);
  const objects: RawObject[] = [];
  const errors: InputError[] = [];
  const skippedFiles: string[] = [];
  for (const file of files) {
    const parsed = parseManifestText(readFileSync(file, 'utf8'), file);
    // Not push(...spread): a 150k-item list would overflow the call stack.
    for (const o of parsed.objects) objects.push(o);
    for (const e of parsed.errors) errors.push(e);
    if (parsed.notObjects > 0 && parsed.objects.length === 0 && parsed.errors.length === 0) skippedFiles.push(file);
  }
  return { objects, errors, files: files.length, fileNames: files, skippedFiles, notFollowed };
}
