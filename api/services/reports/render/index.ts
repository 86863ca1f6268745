import type { Report } from '../report.js';
import { renderCsvZip } from './csv-zip.js';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';
import { renderPdf } from './pdf.js';

export const REPORT_FORMATS = ['json', 'md', 'html', 'pdf', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function isReportFormat(value: unknown): value is ReportFormat {
  return typeof value === 'string' && (REPORT_FORMATS as readonly string[]).includes(value);
}

/** A rendered report: its bytes, media type and file extension. */
export interface RenderedReport {
  bytes: Buffer;
  contentType: string;
  extension: string;
}

export async function renderReport(
  report: Report,
  format: ReportFormat,
  chromiumPath: string,
): Promise<RenderedReport> {
  switch (format) {
    case 'json':
      return {
        bytes: Buffer.from(`${JSON.stringify(report, null, 2)}\n`),
        contentType: 'application/json',
        extension: 'json',
      };
    case 'md':
      return {
        bytes: Buffer.from(renderMarkdown(report)),
        contentType: 'text/markdown; charset=utf-8',
        extension: 'md',
      };
    case 'html':
      return { bytes: Buffer.from(renderHtml(report)), contentType: 'text/html; charset=utf-8', extension: 'html' };
    case 'pdf':
      return {
        bytes: await renderPdf(renderHtml(report), chromiumPath),
        contentType: 'application/pdf',
        extension: 'pdf',
      };
    case 'csv':
      return { bytes: Buffer.from(renderCsvZip(report)), contentType: 'application/zip', extension: 'csv.zip' };
  }
}
