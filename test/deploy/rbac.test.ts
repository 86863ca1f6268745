import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { describe, expect, test } from 'vitest';
import { REQUIRED_RBAC } from '../../worker/collect/required-rbac.js';
import { REPO } from '../cli/run-cli.js';

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

const docs = parseAllDocuments(readFileSync(`${REPO}/deploy/kubernetes/rbac.yaml`, 'utf8')).map(
  (d) =>
    d.toJS() as {
      kind: string;
      metadata: { name: string; namespace?: string };
      rules?: Rule[];
      subjects?: unknown[];
      roleRef?: { name: string };
    },
);

function grants(rules: Rule[]): Set<string> {
  return new Set(
    rules.flatMap((r) =>
      r.apiGroups.flatMap((g) => r.resources.flatMap((res) => r.verbs.map((v) => `${g}/${res}:${v}`))),
    ),
  );
}

describe('deploy/kubernetes/rbac.yaml', () => {
  const role = docs.find((d) => d.kind === 'ClusterRole')!;

  test('the ClusterRole grants exactly what the collector reads, nothing more', () => {
    const expected = new Set(REQUIRED_RBAC.flatMap((p) => p.verbs.map((v) => `${p.apiGroup}/${p.resource}:${v}`)));
    expect(grants(role.rules!)).toEqual(expected);
  });

  test('no write verbs and no wildcards', () => {
    for (const r of role.rules!) {
      expect(r.verbs.every((v) => ['get', 'list', 'watch'].includes(v))).toBe(true);
      expect([...r.apiGroups, ...r.resources, ...r.verbs]).not.toContain('*');
    }
  });

  test('the binding gives the role to the service account the manifests create', () => {
    const account = docs.find((d) => d.kind === 'ServiceAccount')!;
    const binding = docs.find((d) => d.kind === 'ClusterRoleBinding')!;
    expect(binding.roleRef!.name).toBe(role.metadata.name);
    expect(binding.subjects).toContainEqual({
      kind: 'ServiceAccount',
      name: account.metadata.name,
      namespace: account.metadata.namespace,
    });
  });
});
