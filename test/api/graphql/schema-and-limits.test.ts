import {
  buildSchema,
  getIntrospectionQuery,
  parse,
  validate,
  type GraphQLObjectType,
  type IntrospectionQuery,
} from 'graphql';
import { describe, expect, test } from 'vitest';
import { costLimit } from '../../../api/graphql/cost-limit.js';
import { depthLimit } from '../../../api/graphql/depth-limit.js';
import { typeDefs } from '../../../api/graphql/schema.js';
import { createGraphqlServer } from '../../../api/graphql/server.js';
import type { QueryService } from '../../../api/services/query-service.js';
import { QUESTION_NAMES, QUESTIONS } from '../../../api/services/questions.js';
import { fakeAdminService } from '../../support/fake-query-service.js';
import { READER } from '../demo-history.js';

/** Validation failures never reach a resolver: a service that is never called suffices here. */
const unreachable = new Proxy({} as QueryService, {
  get: () => () => {
    throw new Error('the service must not be called for an operation refused by validation');
  },
});
const server = createGraphqlServer(unreachable, fakeAdminService());
const schema = buildSchema(typeDefs);

async function run(query: string, variables?: Record<string, unknown>) {
  const response = await server.executeOperation({ query, variables }, { contextValue: { principal: READER } });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return response.body.singleResult;
}

describe('schema', () => {
  test('every type, field, argument and enum value has a description', async () => {
    const result = await run(getIntrospectionQuery());
    expect(result.errors).toBeUndefined();
    const missing: string[] = [];
    for (const type of (result.data as unknown as IntrospectionQuery).__schema.types) {
      if (type.name.startsWith('__') || ['String', 'Int', 'Boolean', 'Float', 'ID'].includes(type.name)) continue;
      if (!type.description?.trim()) missing.push(type.name);
      if ('fields' in type && type.fields) {
        for (const f of type.fields) {
          if (!f.description?.trim()) missing.push(`${type.name}.${f.name}`);
          for (const a of f.args) if (!a.description?.trim()) missing.push(`${type.name}.${f.name}(${a.name})`);
        }
      }
      if ('enumValues' in type && type.enumValues) {
        for (const v of type.enumValues) if (!v.description?.trim()) missing.push(`${type.name}.${v.name}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

describe('the Cluster fields come from the question table', () => {
  test('one field per question, its parameters as String arguments (plus first/after when paged)', () => {
    const fields = (schema.getType('Cluster') as GraphQLObjectType).getFields();
    for (const name of QUESTION_NAMES) {
      const q = QUESTIONS[name];
      const args = fields[name]!.args.map((a) => `${a.name}: ${String(a.type)}`);
      const params = Object.entries(q.params).map(([k, p]) => `${k}: String${p.required ? '!' : ''}`);
      expect(args, name).toEqual([...params, ...(q.paged ? ['first: Int', 'after: String'] : [])]);
      expect(fields[name]!.description).toBe(q.summary);
    }
  });

  test('answers speak the CLI JSON vocabulary: an entry or change is src, dst, never peer or target', () => {
    for (const type of ['ReachEntry', 'ReachChange']) {
      const fields = Object.keys((schema.getType(type) as GraphQLObjectType).getFields());
      expect(fields).toEqual(expect.arrayContaining(['src', 'dst']));
      expect(fields).not.toContain('peer');
      expect(fields).not.toContain('target');
    }
  });
});

const TOO_DEEP = `{ cluster(name: "demo") { snapshots { edges { node { cluster { snapshots { edges { node { id } } } } } } } } }`;
const AT_LIMIT = `{ cluster(name: "demo") { snapshots { edges { node { cluster { snapshots { edges { cursor } } } } } } } }`;

describe('depth limit', () => {
  test('refuses operations nested deeper than 8 fields', async () => {
    const result = await run(TOO_DEEP);
    expect(result.data).toBeUndefined();
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]!.message).toContain('9 fields deep; the limit is 8');
    expect(result.errors![0]!.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'depth' });
  });

  test('follows fragments, and lets 8 levels through', () => {
    const viaFragment = parse(`
      query Q { cluster(name: "demo") { snapshots { edges { node { ...Deep } } } } }
      fragment Deep on Snapshot { cluster { snapshots { edges { node { id } } } } }`);
    expect(validate(schema, viaFragment, [depthLimit(8)]).map((e) => e.message)).toEqual([
      'operation Q is 9 fields deep; the limit is 8',
    ]);
    expect(validate(schema, parse(AT_LIMIT), [depthLimit(8)])).toEqual([]);
  });
});

describe('cost limit', () => {
  test('refuses nested pages that multiply past the budget', async () => {
    const result = await run(
      `{ clusters(first: 1000) { edges { node { snapshots(first: 1000) { edges { node { id } } } } } } }`,
    );
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]!.message).toMatch(/would cost about \d+; the budget is 50000/);
    expect(result.errors![0]!.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'cost' });
  });

  test('a full page of one answer fits; first given by a variable counts as the maximum', () => {
    const onePage = parse(`{ cluster(name: "demo") { whoCanReach(target: "x", first: 1000) {
      entries { edges { node { src dst allowed { protocol ports } since { snapshotId takenAt } } } } } } }`);
    expect(validate(schema, onePage, [costLimit()])).toEqual([]);
    const nested = (first: string) =>
      parse(`query Q($n: Int) { clusters(first: ${first}) { edges { node {
        whoCanReach(target: "x", first: ${first}) { entries { edges { node { src allowed { protocol } } } } } } } } }`);
    expect(validate(schema, nested('10'), [costLimit()])).toEqual([]);
    expect(validate(schema, nested('$n'), [costLimit()])).toHaveLength(1);
  });

  test('aliases are counted too', () => {
    const one =
      'a0: whoCanReach(target: "x", first: 1000) { entries { edges { node { src allowed { protocol ports } } } } }';
    const many = Array.from({ length: 8 }, (_, i) => one.replace('a0', `a${i}`)).join(' ');
    expect(validate(schema, parse(`{ cluster(name: "demo") { ${many} } }`), [costLimit()])).toHaveLength(1);
  });
});
