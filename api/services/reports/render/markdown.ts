import type { Report, ReportTable } from '../report.js';
import { cellText, evidenceTables, headerFacts } from './tables.js';

const escape = (text: string) => text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');

function table(t: ReportTable): string {
  if (t.rows.length === 0) return `## ${t.title}\n\nNone.\n`;
  const head = `| ${t.columns.map(escape).join(' | ')} |\n|${t.columns.map(() => '---').join('|')}|\n`;
  return `## ${t.title}\n\n${head}${t.rows.map((r) => `| ${r.map((c) => escape(cellText(c))).join(' | ')} |`).join('\n')}\n`;
}

/** The report as Markdown: facts, qualifications, summary, the tables, then the evidence. */
export function renderMarkdown(report: Report): string {
  const facts = headerFacts(report)
    .map(([k, v]) => `- **${k}:** ${escape(v)}`)
    .join('\n');
  const qualifications = report.qualifications.map((q) => `- ${escape(q)}`).join('\n');
  const summary = report.summary.map((s) => `| ${escape(s.label)} | ${escape(cellText(s.value))} |`).join('\n');
  return [
    `# ${report.title}\n`,
    `${facts}\n`,
    `## Read first\n\n${qualifications}\n`,
    `## Summary\n\n| | |\n|---|---|\n${summary}\n`,
    ...report.tables.map(table),
    '# Evidence\n',
    ...evidenceTables(report).map(table),
  ].join('\n');
}
