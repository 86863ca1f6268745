import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import type { ReachAnswer, ReachChange, ReachEntry } from '../../../services/query-service.js';
import { clusterPath, get, query } from '../api.js';
import type { PageProps } from '../app.js';
import { ago, peerName, ports, when } from '../format.js';
import { submitToPlace } from '../location.js';
import { useAnswer } from '../use-answer.js';
import { Answer, Badge } from '../widgets.js';
import { ExplainPanel } from './explain-panel.js';

type Direction = 'who' | 'what';

/** The pair a row stands for, to open its explanation. */
interface Pair {
  src: string;
  dst: string;
  at?: string;
}

const pairKey = (src: string, dst: string) => `${src}\n${dst}`;

function Causes(props: { causes: ReachChange['causes'] }) {
  if (props.causes.length === 0) return html`<span class="muted">workloads changed</span>`;
  return html`${props.causes.map(
    (c, i) =>
      html`${i ? ', ' : ''}<span class="policy">${c.kind} ${c.key}${c.hash === null ? ' (deleted)' : ''}</span>`,
  )}`;
}

/** A row that opens the pair's explanation: a real button, so keyboards and screen readers reach it. */
function ExplainButton(props: { pair: Pair; open: (p: Pair) => void; label: string }) {
  return html`<button type="button" class="link" onClick=${() => props.open(props.pair)}>${props.label}</button>`;
}

function ChangesTable(props: { changes: ReachChange[]; direction: Direction; open: (p: Pair) => void }) {
  return html`<table class="changes">
    <caption>
      What changed (net, one row per pair)
    </caption>
    <thead>
      <tr>
        <th scope="col">Change</th>
        <th scope="col">${props.direction === 'who' ? 'Source' : 'Destination'}</th>
        <th scope="col">${props.direction === 'who' ? 'Destination' : 'Source'}</th>
        <th scope="col">Before → after</th>
        <th scope="col">When</th>
        <th scope="col">Caused by</th>
        <th scope="col"><span class="visually-hidden">Explain</span></th>
      </tr>
    </thead>
    <tbody>
      ${props.changes.map((c) => {
        const [near, far] = props.direction === 'who' ? [c.src, c.dst] : [c.dst, c.src];
        return html`<tr class=${`change-${c.change}`}>
          <td><${Badge} kind=${c.change} /></td>
          <td class="peer">${peerName(near)}</td>
          <td class="peer">${peerName(far)}</td>
          <td>${ports(c.before)} → ${ports(c.after)}</td>
          <td>${when(c.takenAt)} <span class="muted">(${ago(c.takenAt)})</span></td>
          <td><${Causes} causes=${c.causes} /></td>
          <td>
            <${ExplainButton}
              pair=${{ src: c.src, dst: c.dst, at: `snapshot:${c.snapshotId}` }}
              open=${props.open}
              label="Explain"
            />
          </td>
        </tr>`;
      })}
    </tbody>
  </table>`;
}

function EntriesTable(props: {
  entries: ReachEntry[];
  direction: Direction;
  changed: Map<string, ReachChange>;
  at?: string;
  open: (p: Pair) => void;
}) {
  return html`<table class="entries">
    <caption>
      ${props.direction === 'who' ? 'Who can reach it' : 'What it can reach'} (select a row to see why)
    </caption>
    <thead>
      <tr>
        <th scope="col">${props.direction === 'who' ? 'Source' : 'Destination'}</th>
        <th scope="col">${props.direction === 'who' ? 'Destination' : 'Source'}</th>
        <th scope="col">Allowed</th>
        <th scope="col">Since</th>
        <th scope="col">Net change</th>
      </tr>
    </thead>
    <tbody>
      ${props.entries.map((e) => {
        const change = props.changed.get(pairKey(e.src, e.dst));
        const [near, far] = props.direction === 'who' ? [e.src, e.dst] : [e.dst, e.src];
        return html`<tr class=${change ? `highlight change-${change.change}` : ''}>
          <td>
            <${ExplainButton}
              pair=${{ src: e.src, dst: e.dst, ...(props.at ? { at: props.at } : {}) }}
              open=${props.open}
              label=${peerName(near)}
            />
          </td>
          <td class="peer">${peerName(far)}</td>
          <td>${ports(e.allowed)}</td>
          <td>${when(e.since.takenAt)}</td>
          <td>${change ? html`<${Badge} kind=${change.change} />` : html`<span class="muted">none</span>`}</td>
        </tr>`;
      })}
    </tbody>
  </table>`;
}

/** `Resolved to 1 workload(s): db/postgres[StatefulSet] · snapshot 4, 2025-05-31 12:00 UTC` */
function resolvedLine(answer: ReachAnswer): string {
  const { workloads, ports: on } = answer.resolved;
  const where = on ? ` on ${ports(on)}` : '';
  return `Resolved to ${workloads.length} workload(s): ${workloads.join(', ')}${where} · snapshot ${answer.snapshot.id}, ${when(answer.snapshot.takenAt)}`;
}

function Result(props: { answer: ReachAnswer; direction: Direction; since?: string; at?: string; cluster: string }) {
  const { answer } = props;
  const [pair, setPair] = useState<Pair | null>(null);
  const changes = answer.netChanges ?? answer.changes ?? [];
  const changed = new Map(changes.map((c) => [pairKey(c.src, c.dst), c]));
  return html`
    <p>${resolvedLine(answer)}</p>
    ${
      props.since
        ? changes.length
          ? html`<${ChangesTable} changes=${changes} direction=${props.direction} open=${setPair} />`
          : html`<p>Nothing changed since ${props.since}.</p>`
        : null
    }
    ${
      answer.entries.items.length
        ? html`<${EntriesTable}
            entries=${answer.entries.items}
            direction=${props.direction}
            changed=${changed}
            at=${props.at}
            open=${setPair}
          />`
        : html`<p>Nothing can ${props.direction === 'who' ? 'reach it' : 'be reached from it'}.</p>`
    }
    ${answer.entries.nextCursor ? html`<p class="muted">Only the first ${answer.entries.items.length} are shown.</p>` : null}
    ${pair ? html`<${ExplainPanel} cluster=${props.cluster} ...${pair} onClose=${() => setPair(null)} />` : null}
  `;
}

export function ReachPage(props: PageProps) {
  const p = props.place.params;
  const direction: Direction = p.get('direction') === 'what' ? 'what' : 'who';
  const target = p.get('target') ?? '';
  const port = p.get('port') ?? '';
  const at = p.get('at') ?? '';
  const since = p.get('since') ?? '';
  const c = props.cluster;
  const asked = target !== '';
  const question = direction === 'who' ? 'who-can-reach' : 'what-can-reach';
  const answer = useAnswer(
    asked
      ? () =>
          get<ReachAnswer>(
            clusterPath(
              c,
              `/${question}${query({ [direction === 'who' ? 'target' : 'source']: target, port, at, since, limit: 1000 })}`,
            ),
          )
      : null,
    `${c} ${question} ${target} ${port} ${at} ${since}`,
  );
  const submit = submitToPlace(props.place, ['direction', 'target', 'port', 'at', 'since']);
  return html`
    <form class="query" onSubmit=${submit} key=${p.toString()}>
      <fieldset class="inline">
        <legend>Question</legend>
        <label><input type="radio" name="direction" value="who" checked=${direction === 'who'} /> who can reach</label>
        <label
          ><input type="radio" name="direction" value="what" checked=${direction === 'what'} /> what can be reached
          from</label
        >
      </fieldset>
      <label
        >Workload, selector or service
        <input
          name="target"
          value=${target}
          required
          placeholder="db/postgres[StatefulSet], ns=db:app=postgres or svc:db/postgres"
          size="48"
      /></label>
      <label>Port <input name="port" value=${port} placeholder="5432/TCP" size="9" /></label>
      <label>At <input name="at" value=${at} placeholder="latest" size="12" /></label>
      <label>Changes since <input name="since" value=${since} placeholder="7d" size="12" /></label>
      <button type="submit">Ask</button>
    </form>
    ${
      asked
        ? html`<${Answer} state=${answer} what="the answer">
            ${(a: ReachAnswer) =>
              html`<${Result}
                answer=${a}
                direction=${direction}
                since=${since || undefined}
                at=${at || undefined}
                cluster=${c}
              />`}
          <//>`
        : html`<p class="muted">
            Name a workload (<code>namespace/name[Kind]</code>), a selector (<code>ns=db:app=postgres</code>) or a
            Service (<code>svc:db/postgres</code>); times are ISO (2025-03-01T12:00:00Z), durations back from now (7d)
            or snapshot:&lt;id&gt;.
          </p>`
    }
  `;
}
