// The snapshot thread's entry when reachlog runs from its TypeScript sources (tests, benchmarks
// under tsx): a worker thread does not inherit the parent's loader hooks, so it registers tsx's.
import { register } from 'tsx/esm/api';

register();
await import('./snapshot-thread.ts');
