/**
 * Environment variables a test file sets for the code under test (which reads them through
 * config/env.ts), saved at import and put back by `restore()` in its afterAll, so later files in
 * the same worker see the environment they started with.
 */
export function saveEnv(keys: readonly string[]): { restore(): void } {
  const saved = new Map(keys.map((key) => [key, process.env[key]]));
  return {
    restore() {
      for (const [key, value] of saved) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    },
  };
}
