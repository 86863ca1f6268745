import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { analyze, type Protocol } from '../../engine/index.js';
import { conformanceDir } from '../support/shared-dir.js';

/**
 * The upstream Kubernetes e2e network-policy suite, re-expressed as truth tables
 * (format: shared/conformance/README.md). Every pair of every probe must match.
 */

interface Probe {
  port: number;
  protocol: Protocol;
  columns: string;
  rows: string[];
}

interface Case {
  name: string;
  description: string;
  policies: Record<string, unknown>[];
  expect: Probe[];
}

const dir = conformanceDir();
const EXPECTED_CASES = 38;

function readModel(): Record<string, unknown>[] {
  const text = readFileSync(join(dir, 'model.yaml'), 'utf8');
  return parseAllDocuments(text)
    .map((doc) => doc.toJS() as Record<string, unknown> | null)
    .filter((body): body is Record<string, unknown> => body !== null);
}

function readCases(): [string, Case][] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.yaml') && file !== 'model.yaml')
    .sort()
    .map((file) => [file.replace(/\.yaml$/, ''), parse(readFileSync(join(dir, file), 'utf8')) as Case]);
}

/** `x/a` in the tables is the bare Pod a in namespace x. */
const workloadId = (cell: string) => `${cell}[Pod]`;

function wrongPairs(model: Record<string, unknown>[], c: Case): string[] {
  const reach = analyze([...model, ...c.policies], {});
  const wrong = reach.cluster.errors.map((e) => `engine rejected the input: ${e.message}`);
  for (const probe of c.expect) {
    const columns = probe.columns.trim().split(/\s+/);
    for (const row of probe.rows) {
      const [src, ...cells] = row.trim().split(/\s+/);
      if (src === undefined || cells.length !== columns.length) throw new Error(`malformed row "${row}" in ${c.name}`);
      cells.forEach((cell, i) => {
        if (cell === '-') return; // self: not judged
        const dst = columns[i]!;
        const expected = cell === '.';
        const got = reach.allowed(workloadId(src), workloadId(dst)).allows(probe.protocol, probe.port);
        if (got !== expected) {
          const say = (allowed: boolean) => (allowed ? 'allowed' : 'denied');
          wrong.push(`${src} -> ${dst} on ${probe.port}/${probe.protocol}: expected ${say(expected)}, got ${say(got)}`);
        }
      });
    }
  }
  return wrong;
}

describe('Kubernetes e2e network-policy conformance', () => {
  const cases = readCases();
  const model = readModel();

  test(`finds all ${EXPECTED_CASES} cases`, () => {
    expect(cases.map(([name]) => name)).toHaveLength(EXPECTED_CASES);
  });

  test.each(cases)('%s', (_name, c) => {
    const wrong = wrongPairs(model, c);
    expect(wrong, `${c.description}\n${wrong.join('\n')}`).toEqual([]);
  });
});
