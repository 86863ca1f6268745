import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../../package-root.js';

export const REPORT_TYPES = ['exposure', 'access', 'policy-audit', 'controls'] as const;
export type ReportType = (typeof REPORT_TYPES)[number];

export type Cell = string | number | boolean | null;

/** One table of a report: a CSV file, a Markdown/HTML table. */
export interface ReportTable {
  /** File-safe name (`workloads`): the CSV file is `<name>.csv`. */
  name: string;
  title: string;
  columns: string[];
  rows: Cell[][];
}

/** What an auditor checks the report against. */
export interface Evidence {
  cluster: string;
  period: { from: string; to: string; coveredFrom: string };
  /** The snapshots whose content the report read: the one in force at the start and every change in the period. */
  snapshots: { id: number; takenAt: string; status: string; contentHash: string | null }[];
  /** Snapshots in the period that found nothing changed (same content as the one before them). */
  unchangedSnapshots: number;
  /** Every object version in force during the period in the scope analysed. */
  objects: {
    kind: string;
    key: string;
    versionId: string;
    hash: string;
    validFromSnapshot: number;
    validToSnapshot: number | null;
  }[];
  /** Failed collections and objects left out as invalid: each distinct problem, when first and last met, in how many snapshots. */
  collectionProblems: {
    problem: string;
    firstSnapshotId: number;
    firstSeen: string;
    lastSeen: string;
    snapshots: number;
  }[];
  reachlogVersion: string;
}

export interface ReportScope {
  namespaces?: string[];
  /** kubectl selector text over namespace labels. */
  namespaceSelector?: string;
  /** kubectl selector text over pod labels. */
  workloadSelector?: string;
}

/** A report as computed: every format renders this, and the signature covers the rendered bytes. */
export interface Report {
  reachlogReport: 1;
  type: ReportType;
  title: string;
  cluster: string;
  generatedAt: string;
  period: { from: string; to: string };
  scope: ReportScope;
  options: object;
  /** What limits the report's claims: read these before its tables. */
  qualifications: string[];
  summary: { label: string; value: Cell }[];
  tables: ReportTable[];
  evidence: Evidence;
}

let version: string | undefined;

/** reachlog's version, from its package.json. */
export function reachlogVersion(): string {
  version ??= (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  return version;
}

export function isReportType(value: unknown): value is ReportType {
  return typeof value === 'string' && (REPORT_TYPES as readonly string[]).includes(value);
}
