import { useEffect, useState } from 'preact/hooks';

/**
 * The page's state lives in its URL (path and query string), so every view can be bookmarked,
 * shared and reloaded, and Back works.
 */
export interface Place {
  path: string;
  params: URLSearchParams;
}

const current = (): Place => ({ path: window.location.pathname, params: new URLSearchParams(window.location.search) });

const listeners = new Set<() => void>();

export function navigate(path: string, params: Record<string, string | undefined> = {}, replace = false): void {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') search.set(k, v);
  const url = `${path}${search.size ? `?${search}` : ''}`;
  if (replace) window.history.replaceState(null, '', url);
  else window.history.pushState(null, '', url);
  for (const l of listeners) l();
}

export function usePlace(): Place {
  const [place, setPlace] = useState(current);
  useEffect(() => {
    const update = () => setPlace(current());
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return place;
}

/** The URL's parameters as an object (for navigate with one changed). */
export const paramsOf = (p: URLSearchParams): Record<string, string> => Object.fromEntries(p.entries());

/**
 * A query form's submit handler: the named fields' trimmed values replace those parameters of
 * the place's URL, the others kept, so the answer below follows the URL.
 */
export function submitToPlace(place: Place, fields: readonly string[]): (e: Event) => void {
  return (e) => {
    e.preventDefault();
    const form = new FormData(e.target as HTMLFormElement);
    const values = Object.fromEntries(fields.map((k) => [k, String(form.get(k) ?? '').trim()]));
    navigate(place.path, { ...paramsOf(place.params), ...values });
  };
}
