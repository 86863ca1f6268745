import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CONFORMANCE = join('conformance', 'k8s-e2e');

/**
 * The conformance cases live in the shared directory outside the repo, so CI and developers can
 * point at their own copy: REACHLOG_SHARED_DIR wins, then a `shared/` beside the checkout, then
 * the workspace default.
 */
export function conformanceDir(): string {
  const fromEnv = process.env.REACHLOG_SHARED_DIR;
  if (fromEnv) return join(fromEnv, CONFORMANCE);
  const besideRepo = join(REPO_ROOT, '..', 'shared', CONFORMANCE);
  if (existsSync(besideRepo)) return besideRepo;
  return join('/work/shared', CONFORMANCE);
}
