import { html } from 'htm/preact';
import { clusterPath, query } from '../api.js';
import type { PageProps } from '../app.js';
import { submitToPlace } from '../location.js';
import { SignedDownload } from '../signed-download.js';
import { StoredReports } from './report-runs.js';

const TYPES = [
  ['exposure', 'Exposure: isolation and outside exposure throughout the period'],
  ['access', 'Access: who could reach each workload, and when'],
  ['policy-audit', 'Policy audit: every policy created, changed or deleted, and what it caused'],
  ['controls', 'Controls: CIS 5.3.2, default deny, no 0.0.0.0/0'],
] as const;
const FORMATS = ['pdf', 'html', 'md', 'csv', 'json'] as const;

/**
 * Run a report over a period and download it: a plain link to the REST report route, which the
 * session cookie authorizes like any other read. The file comes signed when the server has a
 * signing key (its signature in the X-Reachlog-Signature header; `reachlog report verify`).
 * Below it, the stored definitions, whose runs are queued and followed (report-runs.ts).
 */
export function ReportsPage(props: PageProps) {
  const p = props.place.params;
  const type = p.get('type') ?? 'exposure';
  const from = p.get('from') ?? '30d';
  const to = p.get('to') ?? '';
  const format = p.get('format') ?? 'pdf';
  const href = clusterPath(props.cluster, `/reports/${encodeURIComponent(type)}${query({ from, to, format })}`);
  const submit = submitToPlace(props.place, ['type', 'from', 'to', 'format']);
  return html`
    <form class="query" onSubmit=${submit} key=${p.toString()}>
      <label
        >Report
        <select name="type">
          ${TYPES.map(([t, label]) => html`<option value=${t} selected=${t === type}>${label}</option>`)}
        </select></label
      >
      <label>From <input name="from" value=${from} placeholder="30d" size="12" /></label>
      <label>To <input name="to" value=${to} placeholder="now" size="12" /></label>
      <label
        >Format
        <select name="format">
          ${FORMATS.map((f) => html`<option value=${f} selected=${f === format}>${f.toUpperCase()}</option>`)}
        </select></label
      >
      <button type="submit">Choose</button>
    </form>
    <p>
      <${SignedDownload}
        href=${href}
        label=${`Download the ${type} report of ${props.cluster} (${format.toUpperCase()})`}
      />
    </p>
    <p class="muted">
      Reports state what held throughout the period, with the snapshots and object versions used as evidence.
    </p>
    <${StoredReports} session=${props.session} cluster=${props.cluster} />
  `;
}
