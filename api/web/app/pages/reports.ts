import { html } from 'htm/preact';
import type { PageProps } from '../app.js';

export function ReportsPage(_props: PageProps) {
  return html`<p>Reports are not served by this API yet.</p>`;
}
