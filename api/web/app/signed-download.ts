import { html } from 'htm/preact';
import { useState } from 'preact/hooks';

/** The header the API sends a report's detached signature in (api/rest/report-routes.ts). */
const SIGNATURE_HEADER = 'x-reachlog-signature';

interface Saved {
  busy?: boolean;
  /** The signature as a file to save beside the report (`reachlog report verify FILE` reads FILE.sig). */
  signature?: { url: string; filename: string };
  unsigned?: boolean;
  error?: string;
}

/** Has the browser save `url` as `filename`, as a click on a download link would. */
function save(url: string, filename: string): void {
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
}

/**
 * A report download that keeps its signature. A browser saving a file drops its headers, and
 * with them the X-Reachlog-Signature the API signs reports in; so the file is fetched here, saved,
 * and its signature offered as FILE.sig beside it. Without scripts the link still downloads
 * the file (unsigned, as far as the user can tell).
 */
export function SignedDownload(props: { href: string; label: string }) {
  const [state, setState] = useState<Saved>({});
  const click = async (e: Event) => {
    e.preventDefault();
    setState({ busy: true });
    let res: Response;
    try {
      res = await fetch(props.href, { credentials: 'same-origin' });
    } catch {
      setState({ error: 'the API did not answer (network error)' });
      return;
    }
    if (!res.ok) {
      const problem = (await res.json().catch(() => ({}))) as { detail?: string };
      setState({ error: problem.detail ?? `HTTP ${res.status}` });
      return;
    }
    const filename = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'report';
    save(URL.createObjectURL(await res.blob()), filename);
    const header = res.headers.get(SIGNATURE_HEADER);
    setState(
      header
        ? {
            signature: {
              url: URL.createObjectURL(new Blob([atob(header)], { type: 'application/json' })),
              filename: `${filename}.sig`,
            },
          }
        : { unsigned: true },
    );
  };
  return html`<a class="download" href=${props.href} download onClick=${click}>${props.label}</a>
    ${state.busy ? html` <span role="status">Preparing the file…</span>` : null}
    ${
      state.signature
        ? html` ·
            <a href=${state.signature.url} download=${state.signature.filename}
              >its signature (${state.signature.filename})</a
            >`
        : null
    }
    ${state.unsigned ? html` <span class="muted">(unsigned: the server has no signing key)</span>` : null}
    ${state.error ? html` <span class="error" role="alert">${state.error}</span>` : null}`;
}
