import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import type { Page, ReachChange } from '../../../services/query-service.js';
import { clusterPath, get, query } from '../api.js';
import type { PageProps } from '../app.js';
import { isOutside, peerName, ports, when } from '../format.js';
import { navigate, paramsOf } from '../location.js';
import { useAnswer } from '../use-answer.js';
import { Answer, Badge, SINCE_CHOICES } from '../widgets.js';
import { ExplainPanel } from './explain-panel.js';

const KINDS = ['added', 'removed', 'widened', 'narrowed', 'changed'] as const;

const causeLine = (c: ReachChange) =>
  c.causes.length
    ? `caused by ${c.causes.map((x) => `${x.kind} ${x.key}${x.hash === null ? ' (deleted)' : ''}`).join(', ')}`
    : 'caused by workload changes';

/** Changes newest first, under one heading per day. */
function byDay(changes: ReachChange[]): [string, ReachChange[]][] {
  const days = new Map<string, ReachChange[]>();
  for (const c of [...changes].sort((a, b) => b.takenAt.localeCompare(a.takenAt))) {
    const day = c.takenAt.slice(0, 10);
    days.set(day, [...(days.get(day) ?? []), c]);
  }
  return [...days];
}

function Timeline(props: { changes: Page<ReachChange>; kind: string; outsideOnly: boolean; cluster: string }) {
  const [open, setOpen] = useState<ReachChange | null>(null);
  const shown = props.changes.items.filter(
    (c) => (!props.kind || c.change === props.kind) && (!props.outsideOnly || isOutside(c.src)),
  );
  if (shown.length === 0) return html`<p>No exposure change matches.</p>`;
  return html`
    <p class="muted">
      ${shown.length} change(s)${props.changes.nextCursor ? ' (the first 1000 pairs only: narrow by namespace)' : ''}; a
      pair that changed several times shows its net change, dated by its latest step.
    </p>
    <ol class="timeline">
      ${byDay(shown).map(
        ([day, changes]) =>
          html`<li>
            <h2 class="day">${day}</h2>
            <ul>
              ${changes.map(
                (c) =>
                  html`<li class=${`event change-${c.change}`}>
                    <span class="time">${when(c.takenAt).slice(11)}</span>
                    <${Badge} kind=${c.change} />
                    <span class="peer">${peerName(c.src)}</span>${' → '}<span class="peer">${peerName(c.dst)}</span>
                    ${`: ${ports(c.before)} → ${ports(c.after)} `}
                    <span class="cause">${causeLine(c)}</span>
                    <button type="button" class="link" onClick=${() => setOpen(c)}>Explain</button>
                  </li>`,
              )}
            </ul>
          </li>`,
      )}
    </ol>
    ${
      open
        ? html`<${ExplainPanel}
            cluster=${props.cluster}
            src=${open.src}
            dst=${open.dst}
            at=${`snapshot:${open.snapshotId}`}
            onClose=${() => setOpen(null)}
          />`
        : null
    }
  `;
}

export function TimelinePage(props: PageProps) {
  const p = props.place.params;
  const since = p.get('since') ?? '7d';
  const namespace = p.get('namespace') ?? '';
  const kind = p.get('kind') ?? '';
  const outsideOnly = p.get('outside') === '1';
  const c = props.cluster;
  const changes = useAnswer(
    () => get<Page<ReachChange>>(clusterPath(c, `/diff${query({ from: since, namespace, limit: 1000 })}`)),
    `${c} ${since} ${namespace}`,
  );
  const set = (k: string, v: string) => navigate(props.place.path, { ...paramsOf(p), [k]: v }, true);
  return html`
    <form class="query" onSubmit=${(e: Event) => e.preventDefault()}>
      <label
        >Since
        <select value=${since} onChange=${(e: Event) => set('since', (e.target as HTMLSelectElement).value)}>
          ${SINCE_CHOICES.map((s) => html`<option value=${s}>${s} ago</option>`)}
        </select></label
      >
      <label
        >Namespace
        <input
          value=${namespace}
          placeholder="all"
          size="16"
          onChange=${(e: Event) => set('namespace', (e.target as HTMLInputElement).value.trim())}
      /></label>
      <label
        >Kind of change
        <select value=${kind} onChange=${(e: Event) => set('kind', (e.target as HTMLSelectElement).value)}>
          <option value="">any</option>
          ${KINDS.map((k) => html`<option value=${k}>${k}</option>`)}
        </select></label
      >
      <label class="check"
        ><input
          type="checkbox"
          checked=${outsideOnly}
          onChange=${(e: Event) => set('outside', (e.target as HTMLInputElement).checked ? '1' : '')}
        />
        only from outside addresses</label
      >
    </form>
    <${Answer} state=${changes} what="the timeline">
      ${(data: Page<ReachChange>) => html`<${Timeline} changes=${data} kind=${kind} outsideOnly=${outsideOnly} cluster=${c} />`}
    <//>
  `;
}
