import { realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';

/**
 * Where a manifests source may be registered from. Through the API (an admin token, perhaps
 * stolen) only under REACHLOG_MANIFESTS_ROOT, so that no token can point the worker at
 * `/etc/shadow` or `/proc/self/environ`; from the CLI on the worker's host anywhere, since its
 * operator can read those files anyway.
 */
export type ManifestSourcePolicy = { from: 'api'; root: string | undefined } | { from: 'operator'; cwd: string };

export class ManifestSourceError extends Error {}

/** Whether `path` is `root` or lies under it, by their text (resolve both first). */
export function isWithin(root: string, path: string): boolean {
  const r = relative(root, path);
  return r === '' || (r !== '..' && !r.startsWith(`..${sep}`) && !isAbsolute(r));
}

/** The path with its symlinks resolved, or undefined when it does not exist (yet). */
export function realPathOf(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

/**
 * The absolute directory to store for a manifests source, or a ManifestSourceError. A relative
 * path is resolved now (against the root, or the CLI's working directory), never by the worker
 * later against its own. A path that does not exist yet is accepted alike, so that registering
 * does not tell whether a file exists.
 */
export function confineManifestSource(dir: string, policy: ManifestSourcePolicy): string {
  if (policy.from === 'operator') return resolve(policy.cwd, dir);
  const { root } = policy;
  if (root === undefined) {
    throw new ManifestSourceError(
      'source.dir: manifests sources cannot be registered through the API unless REACHLOG_MANIFESTS_ROOT is set ' +
        "(on the API and the worker); or run `reachlog cluster add --manifests DIR` on the worker's host",
    );
  }
  const absolute = resolve(root, dir);
  if (!isWithin(resolve(root), absolute)) {
    throw new ManifestSourceError(`source.dir: must lie under REACHLOG_MANIFESTS_ROOT (${root})`);
  }
  const real = realPathOf(absolute);
  const realRoot = realPathOf(root) ?? resolve(root);
  if (real !== undefined && !isWithin(realRoot, real)) {
    throw new ManifestSourceError(`source.dir: leads out of REACHLOG_MANIFESTS_ROOT (${root}) through a symlink`);
  }
  return absolute;
}

/** A registered manifests source, as the worker is about to read it. */
export interface RegisteredSource {
  /** The cluster's name, for the refusal. */
  name: string;
  dir: string;
  /** `api` (a token), `operator` (the CLI on the worker's host); null: not recorded (before migration 0007). */
  registeredFrom: 'api' | 'operator' | null;
}

/**
 * The directory the worker may read a registered source's files in (the root when the source
 * lies under it: symlinks between its directories are fine; else the source itself), or a
 * ManifestSourceError when it may not read the source at all. Outside REACHLOG_MANIFESTS_ROOT
 * (or with none set) only a source its operator registered is read: one registered through the
 * API before sources were confined, or under a root since moved, is what confinement forbids,
 * and who registered a source before that was recorded is unknown.
 */
export function sourceBoundary(source: RegisteredSource, root: string | undefined): string {
  const { name, dir, registeredFrom } = source;
  if (root !== undefined && isWithin(resolve(root), resolve(dir))) return root;
  if (registeredFrom === 'operator') return dir;
  const how =
    registeredFrom === 'api'
      ? 'was registered through the API'
      : 'was registered before reachlog recorded who registered sources (through the API, perhaps)';
  throw new ManifestSourceError(
    `cluster ${name}: manifests source ${dir} lies outside REACHLOG_MANIFESTS_ROOT (${root ?? 'not set'}) and ${how}: ` +
      "not read. Move it under the root, or confirm it on the worker's host with " +
      `\`reachlog cluster confirm-source ${name}\``,
  );
}
