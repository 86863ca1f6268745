import { html } from 'htm/preact';
import type { ComponentChildren } from 'preact';
import type { Loaded } from './use-answer.js';

/** The loading line, the server's error, or the content: every view says which of the three it is. */
export function Answer<T>(props: { state: Loaded<T>; children: (data: T) => ComponentChildren; what: string }) {
  const { state } = props;
  if (state.error) return html`<p class="error" role="alert">${props.what}: ${state.error.message}</p>`;
  if (state.data === undefined)
    return state.loading ? html`<p class="loading" role="status">Loading ${props.what}…</p>` : null;
  return html`<div class=${state.loading ? 'stale' : ''} aria-busy=${state.loading}>
    ${props.children(state.data)}
  </div>`;
}

export function Badge(props: { kind: string; children?: ComponentChildren }) {
  return html`<span class=${`badge badge-${props.kind}`}>${props.children ?? props.kind}</span>`;
}

/** A number with its label, for the overview's tiles. */
export function Stat(props: { label: string; value: number | string; tone?: 'bad' | 'ok' | 'neutral'; note?: string }) {
  return html`<div class=${`stat stat-${props.tone ?? 'neutral'}`}>
    <div class="stat-value">${props.value}</div>
    <div class="stat-label">${props.label}</div>
    ${props.note ? html`<div class="stat-note">${props.note}</div>` : null}
  </div>`;
}

/** Times a question can be asked back to. */
export const SINCE_CHOICES = ['1h', '24h', '7d', '14d', '30d'];
