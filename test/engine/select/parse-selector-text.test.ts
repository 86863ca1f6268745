import { describe, expect, test } from 'vitest';
import { parseSelectorText, SelectorTextError } from '../../../engine/select/parse-selector-text.js';

function errorOf(text: string): SelectorTextError {
  try {
    parseSelectorText(text);
  } catch (e) {
    if (e instanceof SelectorTextError) return e;
    throw e;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be rejected`);
}

describe('parseSelectorText', () => {
  test('reads every kubectl operator', () => {
    const s = parseSelectorText('app=web, tier==db,env!=prod, zone in (a, b),team notin (x),canary,!legacy');
    expect(s.requirements).toEqual([
      { key: 'app', operator: 'In', values: ['web'] },
      { key: 'canary', operator: 'Exists', values: [] },
      { key: 'env', operator: 'NotIn', values: ['prod'] },
      { key: 'legacy', operator: 'DoesNotExist', values: [] },
      { key: 'team', operator: 'NotIn', values: ['x'] },
      { key: 'tier', operator: 'In', values: ['db'] },
      { key: 'zone', operator: 'In', values: ['a', 'b'] },
    ]);
  });

  test('matches as the API server does (!= also matches pods without the key)', () => {
    const s = parseSelectorText('app=postgres,tier in (db),env!=prod');
    expect(s.matches({ app: 'postgres', tier: 'db' })).toBe(true);
    expect(s.matches({ app: 'postgres', tier: 'db', env: 'dev' })).toBe(true);
    expect(s.matches({ app: 'postgres', tier: 'db', env: 'prod' })).toBe(false);
    expect(s.matches({ app: 'postgres' })).toBe(false);
  });

  test('the empty selector (or only blanks) selects everything', () => {
    expect(parseSelectorText('').isEmpty()).toBe(true);
    expect(parseSelectorText('   ').isEmpty()).toBe(true);
  });

  test('prefixed keys and the empty value', () => {
    const s = parseSelectorText('app.kubernetes.io/name=web,example.com/flag=');
    expect(s.requirements).toEqual([
      { key: 'app.kubernetes.io/name', operator: 'In', values: ['web'] },
      { key: 'example.com/flag', operator: 'In', values: [''] },
    ]);
  });

  test.each([
    ['app=web,', 9, 'expected a label key, found the end'],
    ['app web', 5, 'expected an operator'],
    ['app in web', 8, 'expected "(" after in'],
    ['app in ()', 9, 'in needs at least one value'],
    ['app in (a b)', 11, 'expected \',\' or ")"'],
    ['=web', 1, 'expected a label key, found "="'],
    ['app=web)', 8, "expected ',' between requirements"],
    ['!app=web', 5, "expected ',' or the end after !app"],
    ['replicas>3', 9, 'Gt/Lt'],
    ['app=we$b', 7, 'invalid character "$" in label value'],
    ['-app=web', 1, 'the name part must be'],
    ['Example.com/app=web', 1, 'must be a DNS subdomain'],
  ])('%j is rejected at position %i', (text, position, reason) => {
    const e = errorOf(text);
    expect(e.position).toBe(position);
    expect(e.message).toContain(reason);
    expect(e.message).toMatch(new RegExp(`^at position ${position}: `));
  });

  test('quotes are named, not silently kept', () => {
    const e = errorOf('app="web"');
    expect(e.position).toBe(5);
    expect(e.message).toContain('quotes are not part of selector syntax');
    expect(errorOf("app in ('a')").position).toBe(9);
  });

  test('unicode is rejected at its character position, counting code points', () => {
    expect(errorOf('app=café').position).toBe(8);
    const e = errorOf('app=😀x,tier=ünter');
    expect(e.position).toBe(5);
    expect(e.message).toContain('"😀"');
    expect(errorOf('😀=x').position).toBe(1);
    expect(errorOf('a=😀😀,b=ü').position).toBe(3);
    expect(errorOf('a=b,c=😀😀ü').position).toBe(7);
  });

  test('a 10k-character value is refused quickly, without echoing it', () => {
    const long = 'a'.repeat(10_000);
    const started = performance.now();
    const e = errorOf(`app=${long}`);
    expect(performance.now() - started).toBeLessThan(500);
    expect(e.position).toBe(5);
    expect(e.message).toContain('10000 characters long; at most 63');
    expect(e.message.length).toBeLessThan(200);
    expect(errorOf(`${long}=x`).message.length).toBeLessThan(300);
    expect(errorOf(`app in (x,${'b'.repeat(10_000)}$)`).position).toBe(10_011);
  });

  test('anything else is a SelectorTextError, never a crash', () => {
    const samples = ['(', ')', ',', '!', '!!a', 'a!', 'a==', 'a in', 'a in (', 'a notin (b,', '\u0000', 'a=\u200b'];
    for (const s of samples) {
      try {
        parseSelectorText(s);
      } catch (e) {
        expect(e, s).toBeInstanceOf(SelectorTextError);
      }
    }
  });
});
