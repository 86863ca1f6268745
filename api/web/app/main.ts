import { html, render } from 'htm/preact';
import { App } from './app.js';
import { useSession } from './api.js';
import { readSession } from './session.js';

const session = readSession();
useSession(session);
const root = document.getElementById('app')!;
// The shell's "Loading…" line goes: render adds to what is there.
root.replaceChildren();
render(html`<${App} session=${session} />`, root);
