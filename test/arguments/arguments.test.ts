import { describe, expect, test } from 'vitest';
import { ArgumentError } from '../../arguments/argument-error.js';
import { formatEvery, parseEvery } from '../../arguments/every.js';
import { parseName } from '../../arguments/name.js';
import { parsePort } from '../../arguments/port.js';
import { parseScope } from '../../arguments/scope.js';
import { parseSelectorArgument } from '../../arguments/selector.js';

/** The message a refused argument gets (and that it is the shared, BAD_USER_INPUT kind). */
function refusal(parse: () => unknown): string {
  try {
    parse();
  } catch (e) {
    expect(e).toBeInstanceOf(ArgumentError);
    expect((e as ArgumentError).code).toBe('BAD_USER_INPUT');
    return (e as Error).message;
  }
  throw new Error('expected the argument to be refused');
}

describe('the argument parsers shared by the CLI and the API', () => {
  test('port: PORT[/PROTOCOL], TCP by default, any case', () => {
    expect(parsePort('5432/TCP', 'port')).toEqual({ protocol: 'TCP', port: 5432 });
    expect(parsePort(' 53/udp ', 'port')).toEqual({ protocol: 'UDP', port: 53 });
    expect(parsePort('8080', 'port')).toEqual({ protocol: 'TCP', port: 8080 });
    for (const bad of ['0', '65536', '80/ICMP', 'http', '80/', ''])
      expect(refusal(() => parsePort(bad, '--port'))).toBe(
        `--port ${JSON.stringify(bad)}: expected PORT[/PROTOCOL], e.g. 5432/TCP (protocols: TCP, UDP, SCTP)`,
      );
  });

  test('every: a duration of at least 10 s, in seconds', () => {
    expect(parseEvery('5m', 'every')).toBe(300);
    expect(parseEvery('10s', 'every')).toBe(10);
    expect(parseEvery('1h', '--every')).toBe(3600);
    expect(refusal(() => parseEvery('9s', 'every'))).toBe(
      'every "9s": expected a duration of at least 10s, e.g. 5m or 1h',
    );
    expect(refusal(() => parseEvery('soon', '--every'))).toMatch(/^--every "soon": /);
    expect(refusal(() => parseEvery(300, 'every'))).toMatch(/^every "300": /);
    expect(refusal(() => parseEvery(undefined, 'every'))).toMatch(/^every is missing: /);
  });

  test('every printed: the largest exact unit, so it parses back to the same seconds', () => {
    expect([300, 3600, 5400, 90, 86_400, 10].map(formatEvery)).toEqual(['5m', '1h', '90m', '90s', '1d', '10s']);
    for (const seconds of [300, 3600, 5400, 90, 86_400, 10]) {
      expect(parseEvery(formatEvery(seconds), 'every')).toBe(seconds);
    }
  });

  test('name: what goes in URLs and on command lines', () => {
    expect(parseName('prod-eu.1_a', 'name')).toBe('prod-eu.1_a');
    expect(parseName('a'.repeat(63), 'name')).toBe('a'.repeat(63));
    for (const bad of ['', 'has space', '-leading', 'a'.repeat(64), 'é', 'a/b', 7])
      expect(refusal(() => parseName(bad, 'cluster name'))).toMatch(/^cluster name ".*": expected 1-63 letters/);
  });

  test('scope: read or admin', () => {
    expect(parseScope('admin', 'scope')).toBe('admin');
    expect(refusal(() => parseScope('root', '--scope'))).toBe('--scope "root": expected read or admin');
  });

  test('selector: positions count in the whole argument, in characters', () => {
    expect(parseSelectorArgument('app=web,tier in (db)', 'selector').matches({ app: 'web', tier: 'db' })).toBe(true);
    // `ns=db:` is 6 characters; the error is at the 14th of the whole target.
    expect(refusal(() => parseSelectorArgument('ns=db:app in postgres', 'target', 6))).toMatch(
      /^target "ns=db:app in postgres": at position 14: /,
    );
    // A code point before the selector counts once, as the user sees it.
    const position = (target: string) =>
      /at position (\d+)/.exec(refusal(() => parseSelectorArgument(target, 't', 5)))![1];
    expect(position('ns=😀:app in x')).toBe(position('ns=d:app in x'));
  });
});
