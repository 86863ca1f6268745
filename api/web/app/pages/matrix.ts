import { html } from 'htm/preact';
import type { NamespaceMatrixAnswer } from '../../../services/query-service.js';
import { clusterPath, get, query } from '../api.js';
import type { PageProps } from '../app.js';
import { ports, when } from '../format.js';
import { navigate, paramsOf, submitToPlace } from '../location.js';
import { useAnswer } from '../use-answer.js';
import { Answer } from '../widgets.js';
import { Peer } from './links.js';

/** Five shades, from the share of a cell's possible workload pairs that may connect. */
function shade(pairs: number, possible: number): number {
  if (pairs === 0) return 0;
  const share = possible > 0 ? pairs / possible : 1;
  return share >= 0.75 ? 5 : share >= 0.5 ? 4 : share >= 0.25 ? 3 : share >= 0.05 ? 2 : 1;
}

/** Beyond this many rows and columns a heatmap is not read (and not drawn quickly): the busiest, or those the filter names. */
const MAX_SHOWN = 40;

/** The namespaces to draw: those matching the filter, else all; the busiest first, cut at MAX_SHOWN, shown sorted. */
function shownNamespaces(m: NamespaceMatrixAnswer, filter: string): NamespaceMatrixAnswer['namespaces'] {
  const busy = new Map<string, number>();
  for (const c of m.cells) {
    busy.set(c.src, (busy.get(c.src) ?? 0) + c.pairs);
    busy.set(c.dst, (busy.get(c.dst) ?? 0) + c.pairs);
  }
  const matching = filter ? m.namespaces.filter((n) => n.name.includes(filter)) : m.namespaces;
  return [...matching]
    .sort((a, b) => (busy.get(b.name) ?? 0) - (busy.get(a.name) ?? 0))
    .slice(0, MAX_SHOWN)
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

function Heatmap(props: {
  m: NamespaceMatrixAnswer;
  namespaces: NamespaceMatrixAnswer['namespaces'];
  open: (src: string, dst: string) => void;
  selected?: [string, string];
}) {
  const { m, namespaces } = props;
  const byCell = new Map(m.cells.map((c) => [`${c.src}\n${c.dst}`, c.pairs]));
  return html`<p class="muted">
      Source namespaces are rows, destination namespaces columns; a cell counts the workload pairs that may open some
      connection, darker for a larger share of the pairs possible.
    </p>
    <div class="heatmap-scroll">
      <table class="heatmap">
        <caption>
          Workload pairs that may connect
        </caption>
        <thead>
          <tr>
            <td></td>
            ${namespaces.map((n) => html`<th scope="col"><span class="vertical">${n.name}</span></th>`)}
          </tr>
        </thead>
        <tbody>
          ${namespaces.map(
            (row) =>
              html`<tr>
                <th scope="row">${row.name}</th>
                ${namespaces.map((col) => {
                  const pairs = byCell.get(`${row.name}\n${col.name}`) ?? 0;
                  const possible = row.workloads * col.workloads - (row.name === col.name ? row.workloads : 0);
                  const selected = props.selected?.[0] === row.name && props.selected?.[1] === col.name;
                  const label = `${row.name} to ${col.name}: ${pairs} of ${possible} workload pairs`;
                  return html`<td class=${`cell shade-${shade(pairs, possible)}${selected ? ' selected' : ''}`}>
                    ${
                      pairs
                        ? html`<button
                            type="button"
                            title=${label}
                            aria-label=${label}
                            onClick=${() => props.open(row.name, col.name)}
                          >
                            ${pairs}
                          </button>`
                        : html`<span class="visually-hidden">${label}</span>`
                    }
                  </td>`;
                })}
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
}

function CellPairs(props: { m: NamespaceMatrixAnswer; cluster: string; src: string; dst: string }) {
  const pairs = props.m.pairs ?? [];
  return html`<section class="panel" aria-labelledby="cell-heading">
    <h2 id="cell-heading">${props.src} → ${props.dst}: ${pairs.length} workload pair(s)</h2>
    ${props.m.pairsComplete === false ? html`<p class="error-text">Only the first ${pairs.length} pairs are listed.</p>` : null}
    <table>
      <thead>
        <tr>
          <th scope="col">Source</th>
          <th scope="col">Destination</th>
          <th scope="col">Allowed</th>
        </tr>
      </thead>
      <tbody>
        ${pairs.map(
          (p) =>
            html`<tr>
              <td><${Peer} cluster=${props.cluster} peer=${p.src} /></td>
              <td><${Peer} cluster=${props.cluster} peer=${p.dst} /></td>
              <td>${ports(p.allowed)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </section>`;
}

export function MatrixPage(props: PageProps) {
  const p = props.place.params;
  const at = p.get('at') ?? '';
  const src = p.get('src') ?? '';
  const dst = p.get('dst') ?? '';
  const filter = p.get('namespaces') ?? '';
  const c = props.cluster;
  const matrix = useAnswer(
    () => get<NamespaceMatrixAnswer>(clusterPath(c, `/namespace-matrix${query({ at })}`)),
    `${c} matrix ${at}`,
  );
  const cell = useAnswer(
    src && dst ? () => get<NamespaceMatrixAnswer>(clusterPath(c, `/namespace-matrix${query({ at, src, dst })}`)) : null,
    `${c} cell ${at} ${src} ${dst}`,
  );
  return html`
    <form class="query" onSubmit=${submitToPlace(props.place, ['at', 'namespaces'])}>
      <label>At <input name="at" value=${at} placeholder="latest" size="14" /></label>
      <label>Namespaces containing <input name="namespaces" value=${filter} placeholder="any" size="16" /></label>
      <button type="submit">Show</button>
    </form>
    <${Answer} state=${matrix} what="the matrix">
      ${(m: NamespaceMatrixAnswer) => {
        const namespaces = shownNamespaces(m, filter);
        const matching = filter ? m.namespaces.filter((n) => n.name.includes(filter)).length : m.namespaces.length;
        const shown =
          namespaces.length < matching
            ? `Showing the ${namespaces.length} busiest of ${matching} namespaces${filter ? ` containing “${filter}”` : ''}: narrow with the filter.`
            : `${namespaces.length} namespaces.`;
        return html`<p class="muted">
            ${`Snapshot ${m.snapshot.id}, ${when(m.snapshot.takenAt)}. ${shown} Select a cell for its pairs.`}
          </p>
          <${Heatmap}
            m=${m}
            namespaces=${namespaces}
            selected=${src && dst ? [src, dst] : undefined}
            open=${(s: string, d: string) => navigate(props.place.path, { ...paramsOf(p), src: s, dst: d })}
          />`;
      }}
    <//>
    ${
      src && dst
        ? html`<${Answer} state=${cell} what="the cell's pairs">
            ${(m: NamespaceMatrixAnswer) => html`<${CellPairs} m=${m} cluster=${c} src=${src} dst=${dst} />`}
          <//>`
        : null
    }
  `;
}
