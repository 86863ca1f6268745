import { html } from 'htm/preact';
import type { PageProps } from '../app.js';

export function AlertsPage(_props: PageProps) {
  return html`<p>Alert rules and silences are not served by this API yet.</p>`;
}
