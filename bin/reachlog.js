#!/usr/bin/env node
// Runs the CLI bundled in dist/, which `npm ci` builds (the postinstall script) and
// `npm run build` rebuilds. In a checkout, a build older than its sources is refused: it would
// run old code, or fail somewhere confusing.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const main = join(root, 'dist/main.js');
const inputs = join(root, 'dist/inputs.json');

function fail(message) {
  process.stderr.write(`reachlog: ${message}\n`);
  process.exit(1);
}

/** The first of the build's own sources (not packages) changed after the build, if any. */
function changedSince(builtAt) {
  for (const source of JSON.parse(readFileSync(inputs, 'utf8'))) {
    if (source.startsWith('node_modules/')) continue;
    const path = join(root, source);
    // A source gone since the build changed too (renamed, or moved by a checkout).
    if (!existsSync(path) || statSync(path).mtimeMs > builtAt) return source;
  }
  return undefined;
}

if (!existsSync(main) || !existsSync(inputs)) fail('no build in dist/: run `npm run build` (npm ci runs it too)');
// Sources beside dist/ mean a checkout; the image carries the build alone.
if (existsSync(join(root, 'cli/main.ts'))) {
  const changed = changedSince(statSync(inputs).mtimeMs);
  if (changed) fail(`dist/ is older than ${changed}: run \`npm run build\``);
}
await import(pathToFileURL(main).href);
