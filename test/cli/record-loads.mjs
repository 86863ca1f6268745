// `node --import ./test/cli/record-loads.mjs …`: prints every ES module the process loads, one
// `loaded <url>` line on stderr each (test/cli/lazy-loading.test.ts reads them).
import { register } from 'node:module';

const hooks = `export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  console.error('loaded ' + resolved.url);
  return resolved;
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);
