import { html } from 'htm/preact';
import { useEffect, useRef } from 'preact/hooks';
import type { ExplainAnswer } from '../../../services/query-service.js';
import { clusterPath, get, query } from '../api.js';
import { peerName, ports, when } from '../format.js';
import { useAnswer } from '../use-answer.js';
import { Answer, Badge } from '../widgets.js';

/** Why src can (or cannot) reach dst at a time: the policies on each side and the rules that match. */
export function ExplainPanel(props: { cluster: string; src: string; dst: string; at?: string; onClose: () => void }) {
  const { cluster, src, dst, at } = props;
  const answer = useAnswer(
    () => get<ExplainAnswer>(clusterPath(cluster, `/explain${query({ src, dst, at })}`)),
    `explain ${cluster} ${src} ${dst} ${at ?? ''}`,
  );
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [src, dst, at]);
  return html`<section class="panel" aria-labelledby="explain-heading">
    <div class="panel-head">
      <h2 id="explain-heading" tabindex="-1" ref=${heading}>Why ${peerName(src)} → ${peerName(dst)}</h2>
      <button type="button" onClick=${props.onClose}>Close</button>
    </div>
    <${Answer} state=${answer} what="the explanation">
      ${(e: ExplainAnswer) => html`
        <p>
          <${Badge} kind=${e.verdict} /> ${ports(e.allowed)} · snapshot ${e.snapshot.id}, ${when(e.snapshot.takenAt)}
        </p>
        ${e.pairs.map(
          (pair) =>
            html`<div class="sides">
              ${[pair.egress, pair.ingress].map(
                (side) =>
                  html`<div class="side">
                    <h3>${side.direction === 'egress' ? 'Egress of' : 'Ingress to'} ${peerName(side.peer)}</h3>
                    ${
                      !side.governed
                        ? html`<p>Outside addresses: no NetworkPolicy governs this side.</p>`
                        : side.isolatedBy.length === 0
                          ? html`<p>Not isolated: every connection is allowed on this side.</p>`
                          : html`<p>Isolated by ${side.isolatedBy.join(', ')}.</p>`
                    }
                    ${
                      side.matches.length
                        ? html`<ul>
                            ${side.matches.map(
                              (m) =>
                                html`<li>
                                  <span class="policy">${m.policy}</span>
                                  ${` ${side.direction} rule ${m.rule} allows ${ports(m.allowed)}`}
                                </li>`,
                            )}
                          </ul>`
                        : side.governed && side.isolatedBy.length
                          ? html`<p>No rule matches the other side.</p>`
                          : null
                    }
                    <p>This side allows: ${ports(side.allowed)}</p>
                  </div>`,
              )}
            </div>`,
        )}
        <details>
          <summary>As text</summary>
          <pre>${e.text}</pre>
        </details>
      `}
    <//>
  </section>`;
}
