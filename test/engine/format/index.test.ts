import { expect, test } from 'vitest';
import { formatCsv } from '../../../engine/format/csv.js';
import { FORMAT_EXTENSIONS, FORMATS, formatReachability, isFormat } from '../../../engine/format/index.js';
import { analyze } from '../../../engine/index.js';
import { pod } from './objects.js';

test('every format is listed, has an extension and dispatches to its formatter', () => {
  expect(FORMATS).toEqual(['txt', 'json', 'csv', 'md', 'dot', 'mermaid']);
  for (const f of FORMATS) expect(FORMAT_EXTENSIONS[f]).toMatch(/^[a-z]+$/);
  expect(isFormat('csv')).toBe(true);
  expect(isFormat('yaml')).toBe(false);
  const reach = analyze([pod('ns', 'a'), pod('ns', 'b')]);
  expect([...formatReachability(reach, 'csv')].join('')).toBe([...formatCsv(reach)].join(''));
});
