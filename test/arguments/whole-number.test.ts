import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../../arguments/argument-error.js';
import { parseWholeNumber } from '../../arguments/whole-number.js';

describe('parseWholeNumber', () => {
  it('takes whole numbers within the bounds, the bounds included', () => {
    expect(parseWholeNumber('0', '--port', 0, 65_535)).toBe(0);
    expect(parseWholeNumber('65535', '--port', 0, 65_535)).toBe(65_535);
    expect(parseWholeNumber('600', '--rate-limit', 1, 1_000_000)).toBe(600);
  });

  it.each(['', '-1', '1.5', '1e3', ' 80', '65536', 'abc'])('refuses %j, naming the parameter and the range', (text) => {
    expect(() => parseWholeNumber(text, '--port', 0, 65_535)).toThrow(ArgumentError);
    expect(() => parseWholeNumber(text, '--port', 0, 65_535)).toThrow(
      `--port ${JSON.stringify(text)}: expected 0-65535`,
    );
  });
});
