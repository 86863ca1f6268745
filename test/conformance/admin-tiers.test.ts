import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { analyze } from '../../engine/index.js';
import { readTruthTables, wrongCells, type Probe } from '../support/truth-table.js';

/**
 * The upstream network-policy-api conformance scenarios for the admin tiers, as truth tables
 * (admin-tiers/README.md). Every pair of every probe must match.
 */

interface Case {
  name: string;
  upstream: string;
  description: string;
  policies: Record<string, unknown>[];
  expect: Probe[];
}

const dir = join(dirname(fileURLToPath(import.meta.url)), 'admin-tiers');
const EXPECTED_CASES = 14;

describe('network-policy-api conformance (AdminNetworkPolicy, BaselineAdminNetworkPolicy, ClusterNetworkPolicy)', () => {
  const { model, cases } = readTruthTables<Case>(dir);

  test(`finds all ${EXPECTED_CASES} cases, each citing its upstream test`, () => {
    expect(cases).toHaveLength(EXPECTED_CASES);
    for (const [, c] of cases) expect(c.upstream).toMatch(/conformance\/(tests|base)\//);
  });

  test.each(cases)('%s', (_name, c) => {
    const wrong = wrongCells(analyze([...model, ...c.policies], {}), c.name, c.expect);
    expect(wrong, `${c.description}\n${c.upstream}\n${wrong.join('\n')}`).toEqual([]);
  });
});
