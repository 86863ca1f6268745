import { html } from 'htm/preact';
import type { ClusterSummary, Page } from '../../services/query-service.js';
import { get } from './api.js';
import { navigate, paramsOf, usePlace, type Place } from './location.js';
import { AlertsPage } from './pages/alerts.js';
import { MatrixPage } from './pages/matrix.js';
import { OverviewPage } from './pages/overview.js';
import { ReachPage } from './pages/reach.js';
import { ReportsPage } from './pages/reports.js';
import { TimelinePage } from './pages/timeline.js';
import type { Session } from './session.js';
import { useAnswer } from './use-answer.js';
import { Answer } from './widgets.js';

export interface PageProps {
  session: Session;
  place: Place;
  /** Every cluster the token sees; undefined while the list loads (a page named by ?cluster= does not wait for it). */
  clusters: ClusterSummary[] | undefined;
  /** The cluster the page is about: ?cluster=, else the first one. */
  cluster: string;
}

const PAGES = [
  { path: '/dashboard/', title: 'Overview', view: OverviewPage },
  { path: '/dashboard/timeline', title: 'Timeline', view: TimelinePage },
  { path: '/dashboard/reach', title: 'Who can reach', view: ReachPage },
  { path: '/dashboard/matrix', title: 'Matrix', view: MatrixPage },
  { path: '/dashboard/reports', title: 'Reports', view: ReportsPage },
  { path: '/dashboard/alerts', title: 'Alerts', view: AlertsPage },
];

function Nav(props: { place: Place; cluster: string }) {
  return html`<nav aria-label="Pages">
    <ul>
      ${PAGES.map(
        (p) =>
          html`<li>
            <a
              href=${`${p.path}?cluster=${encodeURIComponent(props.cluster)}`}
              aria-current=${props.place.path === p.path ? 'page' : undefined}
              onClick=${(e: MouseEvent) => {
                if (e.ctrlKey || e.metaKey || e.shiftKey) return;
                e.preventDefault();
                navigate(p.path, { cluster: props.cluster });
              }}
              >${p.title}</a
            >
          </li>`,
      )}
    </ul>
  </nav>`;
}

function ClusterPicker(props: { place: Place; clusters: ClusterSummary[]; cluster: string }) {
  if (props.clusters.length < 2) return null;
  return html`<label class="cluster-picker"
    >Cluster
    <select
      value=${props.cluster}
      onChange=${(e: Event) =>
        navigate(props.place.path, { ...paramsOf(props.place.params), cluster: (e.target as HTMLSelectElement).value })}
    >
      ${props.clusters.map((c) => html`<option value=${c.name}>${c.name}</option>`)}
    </select></label
  >`;
}

export function App(props: { session: Session }) {
  const place = usePlace();
  const clusters = useAnswer(() => get<Page<ClusterSummary>>('/api/v1/clusters?limit=1000'), 'clusters');
  const page = PAGES.find((p) => p.path === place.path) ?? PAGES[0]!;
  // A page that names its cluster asks its questions at once, beside the cluster list: one round trip, not two.
  const cluster = place.params.get('cluster') || (clusters.data?.items[0]?.name ?? '');
  if (typeof document !== 'undefined') document.title = `${page.title} · reachlog`;
  const View = page.view;
  return html`
    <a class="skip" href="#main">Skip to content</a>
    <header class="top">
      <span class="brand">reachlog</span>
      <${Nav} place=${place} cluster=${cluster} />
      <${ClusterPicker} place=${place} clusters=${clusters.data?.items ?? []} cluster=${cluster} />
      <form class="sign-out" method="post" action="/dashboard/sign-out">
        <span class="who">${props.session.name} (${props.session.scopes.includes('admin') ? 'admin' : 'read'})</span>
        <button type="submit">Sign out</button>
      </form>
    </header>
    <main id="main">
      <h1>${page.title}</h1>
      ${
        cluster
          ? html`<${View}
              session=${props.session}
              place=${place}
              clusters=${clusters.data?.items}
              cluster=${cluster}
            />`
          : html`<${Answer} state=${clusters} what="clusters">
              ${() => html`<p>No cluster is registered yet (<code>reachlog cluster add</code>).</p>`}
            <//>`
      }
    </main>
  `;
}
