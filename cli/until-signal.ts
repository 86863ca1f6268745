/**
 * Resolves on the first SIGINT or SIGTERM, then lets the next one act as usual (a second Ctrl-C
 * while closing stops the process at once).
 */
export function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
