import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../package-root.js';

/** Where `npm run build` writes the dashboard's bundle (scripts/build-dashboard.mjs). */
export const DASHBOARD_BUILD_DIR = join(PACKAGE_ROOT, 'dist', 'dashboard');

/** The bundle's file names, content-hashed so a browser may keep them for good. */
export interface DashboardManifest {
  script: string;
  stylesheet: string;
}

/** The manifest the build wrote; null when the dashboard was not built. */
export function readDashboardManifest(dir: string): DashboardManifest | null {
  const file = join(dir, 'manifest.json');
  if (!existsSync(file)) return null;
  return JSON.parse(readFileSync(file, 'utf8')) as DashboardManifest;
}
