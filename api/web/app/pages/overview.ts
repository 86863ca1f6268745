import { html } from 'htm/preact';
import type { ClusterSummary, ExposureAnswer, Page, ReachChange } from '../../../services/query-service.js';
import { clusterPath, get, query } from '../api.js';
import type { PageProps } from '../app.js';
import { ago, every, ports, when } from '../format.js';
import { navigate, paramsOf } from '../location.js';
import { useAnswer } from '../use-answer.js';
import { Answer, Badge, SINCE_CHOICES, Stat } from '../widgets.js';
import { Link, Peer } from './links.js';

type Health = 'ok' | 'overdue' | 'failing' | 'paused' | 'never';

/** A cluster is overdue when two of its intervals (and a minute) passed without a snapshot. */
export function healthOf(c: ClusterSummary, now = Date.now()): Health {
  if (c.paused) return 'paused';
  const last = c.lastSnapshot;
  if (!last) return 'never';
  if (last.status === 'failed') return 'failing';
  return now - Date.parse(last.takenAt) > (2 * c.everySeconds + 60) * 1000 ? 'overdue' : 'ok';
}

function ClusterTable(props: { clusters: ClusterSummary[]; cluster: string }) {
  return html`<table>
    <caption>
      Clusters and their last snapshot
    </caption>
    <thead>
      <tr>
        <th scope="col">Cluster</th>
        <th scope="col">Source</th>
        <th scope="col">Schedule</th>
        <th scope="col">Last snapshot</th>
        <th scope="col">State</th>
      </tr>
    </thead>
    <tbody>
      ${props.clusters.map((c) => {
        const health = healthOf(c);
        const last = c.lastSnapshot;
        return html`<tr class=${c.name === props.cluster ? 'selected' : ''}>
          <th scope="row"><${Link} path="/dashboard/" params=${{ cluster: c.name }}>${c.name}<//></th>
          <td>${c.source}</td>
          <td>${every(c.everySeconds)}</td>
          <td>${last ? html`${when(last.takenAt)} <span class="muted">(${ago(last.takenAt)})</span>` : 'none yet'}</td>
          <td>
            <${Badge} kind=${health} />
            ${last?.error ? html` <span class="error-text">${last.error}</span>` : null}
            ${
              last && last.problems.length
                ? html` <span class="muted">${last.problems.length} problem(s) while collecting</span>`
                : null
            }
          </td>
        </tr>`;
      })}
    </tbody>
  </table>`;
}

function Exposure(props: { cluster: string; now: ExposureAnswer; then?: ExposureAnswer; since: string }) {
  const { now, then } = props;
  const delta = (a: number, b: number | undefined) => {
    if (b === undefined) return undefined;
    const d = a - b;
    return d === 0 ? `no change since ${props.since}` : `${d > 0 ? '+' : ''}${d} since ${props.since}`;
  };
  const openWorkloads = new Set(now.openToOutside.map((o) => o.workload));
  const openThen = then ? new Set(then.openToOutside.map((o) => o.workload)).size : undefined;
  return html`
    <div class="stats">
      <${Stat}
        label="workloads open to outside addresses"
        value=${openWorkloads.size}
        tone=${openWorkloads.size ? 'bad' : 'ok'}
        note=${delta(openWorkloads.size, openThen)}
      />
      <${Stat}
        label="open to every address (0.0.0.0/0)"
        value=${now.openToWorld.length}
        tone=${now.openToWorld.length ? 'bad' : 'ok'}
        note=${delta(now.openToWorld.length, then?.openToWorld.length)}
      />
      <${Stat}
        label="unprotected workloads (no ingress policy)"
        value=${now.unprotected.length}
        tone=${now.unprotected.length ? 'bad' : 'ok'}
        note=${delta(now.unprotected.length, then?.unprotected.length)}
      />
      <${Stat} label="on the host network (not governed)" value=${now.hostNetwork.length} />
      <${Stat} label="policies selecting nothing" value=${now.policiesSelectingNothing.length} />
    </div>
    <p class="muted">As of snapshot ${now.snapshot.id}, ${when(now.snapshot.takenAt)}.</p>
    <h3>Open to outside addresses</h3>
    ${
      now.openToOutside.length === 0
        ? html`<p>Nothing is reachable from outside addresses.</p>`
        : html`<table>
            <thead>
              <tr>
                <th scope="col">Workload</th>
                <th scope="col">From</th>
                <th scope="col">On</th>
              </tr>
            </thead>
            <tbody>
              ${now.openToOutside.slice(0, 100).map(
                (o) =>
                  html`<tr>
                    <td><${Peer} cluster=${props.cluster} peer=${o.workload} /></td>
                    <td><${Peer} cluster=${props.cluster} peer=${o.from} /></td>
                    <td>${ports(o.allowed)}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }
    ${now.openToOutside.length > 100 ? html`<p class="muted">and ${now.openToOutside.length - 100} more</p>` : null}
    <h3>Unprotected workloads</h3>
    ${
      now.unprotected.length === 0
        ? html`<p>Every workload is isolated for ingress by some policy.</p>`
        : html`<ul class="columns">
            ${now.unprotected.slice(0, 60).map((w) => html`<li><${Peer} cluster=${props.cluster} peer=${w} /></li>`)}
          </ul>`
    }
    ${now.unprotected.length > 60 ? html`<p class="muted">and ${now.unprotected.length - 60} more</p>` : null}
  `;
}

function Changes(props: { changes: Page<ReachChange>; cluster: string; since: string }) {
  const counts = new Map<string, number>();
  for (const c of props.changes.items) counts.set(c.change, (counts.get(c.change) ?? 0) + 1);
  const outside = props.changes.items.filter((c) => c.src.startsWith('ip:')).length;
  const more = props.changes.nextCursor ? '+' : '';
  return html`<div class="stats">
      ${['added', 'removed', 'widened', 'narrowed', 'changed'].map(
        (k) => html`<${Stat} label=${`connections ${k}`} value=${`${counts.get(k) ?? 0}${more}`} />`,
      )}
      <${Stat}
        label="of them from outside addresses"
        value=${`${outside}${more}`}
        tone=${outside ? 'bad' : 'neutral'}
      />
    </div>
    <p>
      <${Link} path="/dashboard/timeline" params=${{ cluster: props.cluster, since: props.since }}
        >See these changes with their causes<//
      >
    </p>`;
}

export function OverviewPage(props: PageProps) {
  const since = props.place.params.get('since') ?? '7d';
  const c = props.cluster;
  const now = useAnswer(() => get<ExposureAnswer>(clusterPath(c, '/exposure')), `exposure ${c}`);
  const then = useAnswer(
    () => get<ExposureAnswer>(clusterPath(c, `/exposure${query({ at: since })}`)),
    `then ${c} ${since}`,
  );
  const changes = useAnswer(
    () => get<Page<ReachChange>>(clusterPath(c, `/diff${query({ from: since, limit: 1000 })}`)),
    `diff ${c} ${since}`,
  );
  return html`
    ${
      props.clusters
        ? html`<${ClusterTable} clusters=${props.clusters} cluster=${c} />`
        : html`<p class="loading" role="status">Loading clusters…</p>`
    }
    <section aria-labelledby="exposure-heading">
      <h2 id="exposure-heading">${c}: exposure</h2>
      <label
        >Trend since
        <select
          value=${since}
          onChange=${(e: Event) =>
            navigate(props.place.path, {
              ...paramsOf(props.place.params),
              since: (e.target as HTMLSelectElement).value,
            })}
        >
          ${SINCE_CHOICES.map((s) => html`<option value=${s}>${s} ago</option>`)}
        </select></label
      >
      ${then.error ? html`<p class="muted">No comparison: ${then.error.message}</p>` : null}
      <${Answer} state=${now} what="exposure">
        ${(data: ExposureAnswer) => html`<${Exposure} cluster=${c} now=${data} then=${then.data} since=${`${since} ago`} />`}
      <//>
    </section>
    <section aria-labelledby="changes-heading">
      <h2 id="changes-heading">Connections changed in the last ${since}</h2>
      <${Answer} state=${changes} what="changes">
        ${(data: Page<ReachChange>) => html`<${Changes} changes=${data} cluster=${c} since=${since} />`}
      <//>
    </section>
  `;
}
