import { useEffect, useState } from 'preact/hooks';

export interface Loaded<T> {
  data?: T;
  error?: Error;
  loading: boolean;
}

/**
 * An answer the page waits for, asked again when `key` changes; a late answer to an older
 * question is dropped (the user moved on).
 */
export function useAnswer<T>(ask: (() => Promise<T>) | null, key: string): Loaded<T> {
  const [state, setState] = useState<Loaded<T>>({ loading: ask !== null });
  useEffect(() => {
    if (!ask) {
      setState({ loading: false });
      return;
    }
    let current = true;
    setState((s) => ({ ...s, loading: true, error: undefined }));
    ask().then(
      (data) => current && setState({ data, loading: false }),
      (error: Error) => current && setState({ error, loading: false }),
    );
    return () => {
      current = false;
    };
  }, [key]);
  return state;
}
