import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { FORMAT_EXTENSIONS, FORMATS, formatReachability } from '../../../engine/format/index.js';
import {
  buildCluster,
  computeReachability,
  explainParts,
  formatExplanations,
  parseManifestText,
  resolveExplainPeer,
  type Reachability,
} from '../../../engine/index.js';

/**
 * Every format of every fixture against the golden file beside its input
 * (`test/fixtures/<case>/expected.<ext>`), the input errors, one a line, against
 * `expected.errors` (a fixture without it must have none), and `--explain` for the pairs a fixture
 * lists in `explain.txt` (`expected.explain.txt`; peers as the CLI takes them, addresses too). `UPDATE_GOLDEN=1` rewrites them: review the diff.
 */

function checkGolden(file: string, actual: string): void {
  if (UPDATE) {
    writeFileSync(file, actual);
    return;
  }
  if (!existsSync(file)) throw new Error(`${file} is missing: run with UPDATE_GOLDEN=1 and review it`);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));
const UPDATE = process.env.UPDATE_GOLDEN === '1';

const cases = readdirSync(FIXTURES, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(FIXTURES, d.name, 'input')))
  .map((d) => d.name)
  .sort();

function load(caseName: string): { reach: Reachability; errors: string[] } {
  const dir = join(FIXTURES, caseName, 'input');
  const files = readdirSync(dir)
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .sort();
  const errors: string[] = [];
  const objects = files.flatMap((f) => {
    const parsed = parseManifestText(readFileSync(join(dir, f), 'utf8'), `input/${f}`);
    errors.push(...parsed.errors.map((e) => e.message));
    return parsed.objects;
  });
  const cluster = buildCluster(objects);
  errors.push(...cluster.errors.map((e) => e.message));
  return { reach: computeReachability(cluster), errors };
}

test('there are fixtures', () => {
  expect(cases.length).toBeGreaterThan(0);
});

describe.each(cases)('%s', (caseName) => {
  const { reach, errors } = load(caseName);

  test('its input errors match expected.errors (none without the file)', () => {
    const file = join(FIXTURES, caseName, 'expected.errors');
    const actual = errors.map((e) => `${e}\n`).join('');
    if (UPDATE) {
      if (actual) writeFileSync(file, actual);
      return;
    }
    expect(actual).toBe(existsSync(file) ? readFileSync(file, 'utf8') : '');
  });

  test.each([...FORMATS])('%s matches its golden file', (format) => {
    const actual = [...formatReachability(reach, format)].join('');
    checkGolden(join(FIXTURES, caseName, `expected.${FORMAT_EXTENSIONS[format]}`), actual);
  });

  const pairsFile = join(FIXTURES, caseName, 'explain.txt');
  test.runIf(existsSync(pairsFile))('--explain of the listed pairs matches its golden file', () => {
    const pairs = readFileSync(pairsFile, 'utf8')
      .split('\n')
      .filter((line) => line.trim() && !line.startsWith('#'))
      .map((line) => line.trim().split(/\s+/) as [string, string]);
    const ends = (text: string) => {
      const resolved = resolveExplainPeer(reach, text);
      if (!resolved.ok) throw new Error(resolved.message);
      return resolved.peers;
    };
    const actual = pairs
      .map(([src, dst]) => formatExplanations(explainParts(reach, ends(src), ends(dst)), { src, dst }))
      .join('\n');
    checkGolden(join(FIXTURES, caseName, 'expected.explain.txt'), actual);
  });

  test('the JSON output parses', () => {
    expect(() => JSON.parse([...formatReachability(reach, 'json')].join(''))).not.toThrow();
  });
});
