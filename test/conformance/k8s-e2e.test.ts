import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { analyze } from '../../engine/index.js';
import { conformanceDir } from '../support/shared-dir.js';
import { wrongCells, type Probe } from '../support/truth-table.js';

/**
 * The upstream Kubernetes e2e network-policy suite, re-expressed as truth tables
 * (format: shared/conformance/README.md). Every pair of every probe must match.
 */

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

function wrongPairs(model: Record<string, unknown>[], c: Case): string[] {
  return wrongCells(analyze([...model, ...c.policies], {}), c.name, c.expect);
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
