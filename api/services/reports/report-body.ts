import type { Report } from './report.js';

/** What a report type computes; the service adds the period, the evidence and the signature. */
export interface ReportBody {
  title: string;
  summary: Report['summary'];
  tables: Report['tables'];
  /** Qualifications particular to the type (the period's own are added by the service). */
  qualifications: string[];
  /** Which analysed objects belong in the evidence. */
  keepObject: (kind: string, key: string) => boolean;
}
