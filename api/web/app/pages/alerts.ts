import { html } from 'htm/preact';
import { get } from '../api.js';
import type { PageProps } from '../app.js';
import { when } from '../format.js';
import { useAnswer } from '../use-answer.js';
import { Answer } from '../widgets.js';

/** What the alerts API lists (api/services/alert-service.ts), as far as this page shows it. */
interface RuleRow {
  name: string;
  cluster: string | null;
  target: string;
  changes: string[];
  source: string;
  ports: string[] | null;
  severity: string;
  receivers: { kind: string; url: string }[];
}

interface SilenceRow {
  id: number;
  rule: string | null;
  target: string | null;
  cluster: string | null;
  startsAt: string;
  endsAt: string;
  reason: string;
  createdBy: string;
  active: boolean;
}

/** Alert rules and silences, read-only: they are managed with `reachlog alert` or an admin token. */
export function AlertsPage(props: PageProps) {
  const rules = useAnswer(() => get<{ items: RuleRow[] }>('/api/v1/alerts/rules'), 'rules');
  const silences = useAnswer(() => get<{ items: SilenceRow[] }>('/api/v1/alerts/silences?all=true'), 'silences');
  const mine = (cluster: string | null) => cluster === null || cluster === props.cluster;
  return html`
    <h2>Alert rules</h2>
    <${Answer} state=${rules} what="the alert rules">
      ${(data: { items: RuleRow[] }) => {
        const shown = data.items.filter((r) => mine(r.cluster));
        if (shown.length === 0) return html`<p>No alert rule watches ${props.cluster}.</p>`;
        return html`<table class="rules">
          <caption>
            Rules watching ${props.cluster} (managed with
            <code>reachlog alert</code
            >)
          </caption>
          <thead>
            <tr>
              <th scope="col">Rule</th>
              <th scope="col">Cluster</th>
              <th scope="col">Target</th>
              <th scope="col">Changes</th>
              <th scope="col">From</th>
              <th scope="col">Ports</th>
              <th scope="col">Severity</th>
              <th scope="col">Receivers</th>
            </tr>
          </thead>
          <tbody>
            ${shown.map(
              (r) =>
                html`<tr>
                  <td>${r.name}</td>
                  <td>${r.cluster ?? 'all'}</td>
                  <td class="peer">${r.target === '*' ? 'everything' : r.target}</td>
                  <td>${r.changes.join(', ')}</td>
                  <td>${r.source}</td>
                  <td>${r.ports ? r.ports.join(', ') : 'any'}</td>
                  <td>${r.severity}</td>
                  <td>${r.receivers.map((v) => `${v.kind} (${v.url})`).join(', ')}</td>
                </tr>`,
            )}
          </tbody>
        </table>`;
      }}
    <//>
    <h2>Silences</h2>
    <${Answer} state=${silences} what="the silences">
      ${(data: { items: SilenceRow[] }) => {
        const shown = data.items.filter((s) => mine(s.cluster));
        if (shown.length === 0) return html`<p>Nothing is silenced.</p>`;
        return html`<table class="silences">
          <caption>
            Silences, in force and past
          </caption>
          <thead>
            <tr>
              <th scope="col">Rule</th>
              <th scope="col">Target</th>
              <th scope="col">From</th>
              <th scope="col">Until</th>
              <th scope="col">Reason</th>
              <th scope="col">By</th>
              <th scope="col">In force</th>
            </tr>
          </thead>
          <tbody>
            ${shown.map(
              (s) =>
                html`<tr>
                  <td>${s.rule ?? 'every rule'}</td>
                  <td class="peer">${s.target ?? 'everything'}</td>
                  <td>${when(s.startsAt)}</td>
                  <td>${when(s.endsAt)}</td>
                  <td>${s.reason}</td>
                  <td>${s.createdBy}</td>
                  <td>${s.active ? 'yes' : 'no'}</td>
                </tr>`,
            )}
          </tbody>
        </table>`;
      }}
    <//>
  `;
}
