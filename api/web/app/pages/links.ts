import { html } from 'htm/preact';
import { navigate } from '../location.js';
import { peerName } from '../format.js';

/** A link to another page of the app, with its query, that navigates without a reload. */
export function Link(props: {
  path: string;
  params: Record<string, string | undefined>;
  children: unknown;
  label?: string;
}) {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(props.params)) if (v) search.set(k, v);
  return html`<a
    href=${`${props.path}?${search}`}
    aria-label=${props.label}
    onClick=${(e: MouseEvent) => {
      if (e.ctrlKey || e.metaKey || e.shiftKey) return;
      e.preventDefault();
      navigate(props.path, props.params);
    }}
    >${props.children}</a
  >`;
}

/** A workload, linked to who can reach it; an outside address set as text. */
export function Peer(props: { cluster: string; peer: string }) {
  if (props.peer.startsWith('ip:')) return html`<span class="peer outside">${peerName(props.peer)}</span>`;
  return html`<${Link} path="/dashboard/reach" params=${{ cluster: props.cluster, target: props.peer }}
    ><span class="peer">${props.peer}</span><//
  >`;
}
