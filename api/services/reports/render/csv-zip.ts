import { strToU8, zipSync, type Zippable } from 'fflate';
import type { Cell, Report, ReportTable } from '../report.js';
import { cellText, evidenceTables, headerFacts } from './tables.js';

/** RFC 4180: quote a field holding a comma, quote or line break; double its quotes. */
function field(c: Cell): string {
  const text = cellText(c);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csv(columns: readonly string[], rows: readonly Cell[][]): string {
  return [columns, ...rows].map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
}

/**
 * One CSV per table, zipped (as the peers ship reports): `report.csv` with the facts,
 * qualifications and summary, then each table and the evidence. Entries carry the report's
 * time, so the same report zips to the same bytes.
 */
export function renderCsvZip(report: Report): Uint8Array {
  const mtime = new Date(report.generatedAt);
  const files: Zippable = {};
  const add = (name: string, text: string) => {
    files[name] = [strToU8(text), { mtime }];
  };
  add(
    'report.csv',
    csv(
      ['field', 'value'],
      [
        ['title', report.title],
        ['type', report.type],
        ...headerFacts(report).map(([k, v]) => [k, v] as Cell[]),
        ...report.qualifications.map((q) => ['qualification', q] as Cell[]),
        ...report.summary.map((s) => [s.label, s.value]),
      ],
    ),
  );
  const tables: ReportTable[] = [...report.tables, ...evidenceTables(report)];
  for (const t of tables) add(`${t.name}.csv`, csv(t.columns, t.rows));
  return zipSync(files, { level: 6 });
}
