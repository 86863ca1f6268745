import type { Report, ReportTable } from '../report.js';
import { cellText, evidenceTables, headerFacts } from './tables.js';

const escape = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

// Inline and print-friendly: no scripts, no fonts or images to fetch, tables that repeat their
// header on each printed page and rows that do not split across pages.
const STYLE = `
  body { font-family: system-ui, sans-serif; font-size: 10pt; color: #111; margin: 2em; }
  h1 { font-size: 16pt; } h2 { font-size: 12pt; margin-top: 1.6em; }
  table { border-collapse: collapse; width: 100%; margin: 0.5em 0; }
  th, td { border: 1px solid #999; padding: 2px 4px; text-align: left; vertical-align: top; word-break: break-word; }
  th { background: #eee; } thead { display: table-header-group; } tr { page-break-inside: avoid; }
  td { white-space: pre-wrap; }
  .facts th { width: 12em; } .read-first { border-left: 4px solid #c60; padding-left: 1em; }
  .fail { color: #a00; font-weight: bold; } .pass { color: #060; }
  @page { size: A4 landscape; margin: 12mm; }
  @media print { body { margin: 0; } }
`;

function cell(text: string): string {
  const cls = text === 'fail' ? ' class="fail"' : text === 'pass' ? ' class="pass"' : '';
  return `<td${cls}>${escape(text)}</td>`;
}

function table(t: ReportTable): string {
  const body =
    t.rows.length === 0
      ? '<p>None.</p>'
      : `<table><thead><tr>${t.columns.map((c) => `<th>${escape(c)}</th>`).join('')}</tr></thead><tbody>\n${t.rows
          .map((r) => `<tr>${r.map((c) => cell(cellText(c))).join('')}</tr>`)
          .join('\n')}\n</tbody></table>`;
  return `<section><h2>${escape(t.title)}</h2>${body}</section>`;
}

/** The report as one self-contained, print-friendly HTML page (what the PDF is printed from). */
export function renderHtml(report: Report): string {
  const facts = headerFacts(report)
    .map(([k, v]) => `<tr><th>${escape(k)}</th><td>${escape(v)}</td></tr>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(report.title)}</title>
<meta name="generator" content="reachlog ${escape(report.evidence.reachlogVersion)}">
<style>${STYLE}</style></head>
<body>
<h1>${escape(report.title)}</h1>
<table class="facts">${facts}</table>
<section class="read-first"><h2>Read first</h2><ul>${report.qualifications.map((q) => `<li>${escape(q)}</li>`).join('')}</ul></section>
<section><h2>Summary</h2><table>${report.summary.map((s) => `<tr><th>${escape(s.label)}</th>${cell(cellText(s.value))}</tr>`).join('')}</table></section>
${report.tables.map(table).join('\n')}
<h1>Evidence</h1>
${evidenceTables(report).map(table).join('\n')}
</body></html>
`;
}
