import { describe, expect, test } from 'vitest';
import { analyze } from '../../engine/index.js';
import { conformanceDir } from '../support/shared-dir.js';
import { readTruthTables, wrongCells, type Probe } from '../support/truth-table.js';

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

function wrongPairs(model: Record<string, unknown>[], c: Case): string[] {
  return wrongCells(analyze([...model, ...c.policies], {}), c.name, c.expect);
}

describe('Kubernetes e2e network-policy conformance', () => {
  const { model, cases } = readTruthTables<Case>(dir);

  test(`finds all ${EXPECTED_CASES} cases`, () => {
    expect(cases.map(([name]) => name)).toHaveLength(EXPECTED_CASES);
  });

  test.each(cases)('%s', (_name, c) => {
    const wrong = wrongPairs(model, c);
    expect(wrong, `${c.description}\n${wrong.join('\n')}`).toEqual([]);
  });
});
