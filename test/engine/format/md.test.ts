import { describe, expect, test } from 'vitest';
import { formatMarkdown, MATRIX_MAX_PEERS } from '../../../engine/format/md.js';
import { analyze } from '../../../engine/index.js';
import { openCluster, pod, policy, aOpenOnTcp80 } from './objects.js';

const text = (chunks: Iterable<string>) => [...chunks].join('');

describe('md', () => {
  test('a matrix, rows sources and columns destinations, up to the limit', () => {
    const reach = analyze(aOpenOnTcp80());
    const lines = text(formatMarkdown(reach)).split('\n');
    const header = lines.find((l) => l.startsWith('| source ↓ destination →'))!;
    expect(header).toBe('| source ↓ destination → | `0.0.0.0/0, ::/0` | `ns/a[Pod]` | `ns/b[Pod]` |');
    expect(lines).toContain('| `ns/b[Pod]` | All Connections | TCP 80 |  |');
    expect(lines).toContain('| `ns/a[Pod]` | All Connections |  | All Connections |');
  });

  test('a summary with counts, unprotected workloads and those open to 0.0.0.0/0', () => {
    const reach = analyze([pod('ns', 'a'), policy('ns', 'deny', { podSelector: {} }), pod('other', 'b')]);
    const out = text(formatMarkdown(reach));
    expect(out).toContain('## Summary\n\n- Workloads: 2\n- NetworkPolicies: 1\n');
    expect(out).toContain(
      '- Unprotected workloads (no NetworkPolicy isolates them for ingress, no admin Deny applies): 1\n  - `other/b[Pod]`\n',
    );
    expect(out).toContain('- Open to 0.0.0.0/0 (every IPv4 address may connect on some port): 1\n  - `other/b[Pod]`\n');
  });

  test(`beyond ${MATRIX_MAX_PEERS} peers, a list table with a note saying why`, () => {
    const reach = analyze(openCluster(MATRIX_MAX_PEERS)); // + the outside group: one too many
    expect(reach.peerIds()).toHaveLength(MATRIX_MAX_PEERS + 1);
    const out = text(formatMarkdown(reach));
    expect(out).not.toContain('source ↓ destination →');
    expect(out).toContain(
      `> ${MATRIX_MAX_PEERS + 1} peers are too many for a readable matrix (at most ${MATRIX_MAX_PEERS})`,
    );
    expect(out).toContain('| source | destination | allowed |\n|---|---|---|\n');
    expect(out).toContain('| `load/pod-0000[Pod]` | `load/pod-0001[Pod]` | All Connections |\n');
  });

  test('exactly at the limit it is still a matrix', () => {
    const reach = analyze(openCluster(MATRIX_MAX_PEERS - 1));
    expect(text(formatMarkdown(reach))).toContain('source ↓ destination →');
  });

  test('the limit is an option', () => {
    const reach = analyze(openCluster(3));
    expect(text(formatMarkdown(reach, { matrixMaxPeers: 2 }))).toContain('| source | destination | allowed |');
  });
});
