import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import type { ReportDefinitionView, ReportRunView } from '../../../services/reports/report-views.js';
import { get, post } from '../api.js';
import { when } from '../format.js';
import { canAdmin, type Session } from '../session.js';
import { useAnswer } from '../use-answer.js';
import { SignedDownload } from '../signed-download.js';
import { Answer } from '../widgets.js';

/** How often a run in progress is asked about. */
const POLL_MS = 1_000;

const finished = (run: ReportRunView) => run.status === 'done' || run.status === 'failed';

/**
 * A run as it goes: asked about every second (GET its statusUrl) until done or failed, then
 * its files to download, or why it failed. The status line is a live region: screen readers
 * hear it change.
 */
function RunProgress(props: { run: ReportRunView }) {
  const [run, setRun] = useState(props.run);
  const [error, setError] = useState<Error | undefined>();
  useEffect(() => {
    if (finished(run)) return;
    let live = true;
    const timer = setTimeout(() => {
      get<ReportRunView>(run.statusUrl).then(
        (next) => live && setRun(next),
        (e: Error) => live && setError(e),
      );
    }, POLL_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [run]);
  const made = run.results.filter((r) => r.downloadUrl !== null);
  return html`<div class="report-run">
    <p role="status">Run #${run.id} of ${run.definition}: ${run.status}${finished(run) ? '' : '…'}</p>
    ${error ? html`<p class="error" role="alert">Could not follow the run: ${error.message}</p>` : null}
    ${run.status === 'failed' ? html`<p class="error" role="alert">It failed: ${run.error}</p>` : null}
    ${
      made.length
        ? html`<ul>
            ${made.map(
              (r) =>
                html`<li>
                  <${SignedDownload}
                    href=${r.downloadUrl}
                    label=${`Download ${run.definition} of ${r.cluster} (${r.format.toUpperCase()})`}
                  />
                </li>`,
            )}
          </ul>`
        : null
    }
  </div>`;
}

/**
 * Stored report definitions covering the cluster. Admins run one now: the run is queued (the
 * report worker makes it) and followed here until its files can be downloaded.
 */
export function StoredReports(props: { session: Session; cluster: string }) {
  const definitions = useAnswer(() => get<{ items: ReportDefinitionView[] }>('/api/v1/reports'), 'definitions');
  const [runs, setRuns] = useState<ReportRunView[]>([]);
  const [refused, setRefused] = useState<string | undefined>();
  const admin = canAdmin(props.session);
  const run = (name: string) => {
    setRefused(undefined);
    post<ReportRunView>(`/api/v1/reports/${encodeURIComponent(name)}/runs`).then(
      (queued) => setRuns((rs) => [queued, ...rs]),
      (e: Error) => setRefused(`${name} was not run: ${e.message}`),
    );
  };
  return html`
    <h2>Stored reports</h2>
    <${Answer} state=${definitions} what="the stored reports">
      ${(data: { items: ReportDefinitionView[] }) => {
        const shown = data.items.filter((d) => d.clusters.includes(props.cluster));
        if (shown.length === 0)
          return html`<p>No stored report covers ${props.cluster} (<code>reachlog report add</code> makes one).</p>`;
        return html`<table class="definitions">
          <caption>
            Stored reports over ${props.cluster}${admin ? '' : ' (running them needs an admin token)'}
          </caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Type</th>
              <th scope="col">Period</th>
              <th scope="col">Schedule</th>
              <th scope="col">Formats</th>
              <th scope="col">Last scheduled run to</th>
              ${admin ? html`<th scope="col"><span class="visually-hidden">Run</span></th>` : null}
            </tr>
          </thead>
          <tbody>
            ${shown.map(
              (d) =>
                html`<tr>
                  <td>${d.name}</td>
                  <td>${d.type}</td>
                  <td>${d.period}</td>
                  <td>${d.schedule ?? 'on demand'}</td>
                  <td>${d.formats.join(', ')}</td>
                  <td>${d.lastRunTo ? when(d.lastRunTo) : 'never'}</td>
                  ${
                    admin
                      ? html`<td>
                          <button type="button" onClick=${() => run(d.name)} aria-label=${`Run ${d.name} now`}>
                            Run now
                          </button>
                        </td>`
                      : null
                  }
                </tr>`,
            )}
          </tbody>
        </table>`;
      }}
    <//>
    ${refused ? html`<p class="error" role="alert">${refused}</p>` : null}
    ${runs.map((r) => html`<${RunProgress} key=${r.id} run=${r} />`)}
  `;
}
