import { Command } from 'commander';
import type { ReachAnswer } from '../../api/services/query-service.js';
import { apiTarget, getJson } from '../api-client.js';
import { renderReachTable } from '../reach-table.js';

/** Pages are followed to the end; `changes` come with the first page. */
const PAGE = '1000';

export function whoCanReachCommand(): Command {
  return new Command('who-can-reach')
    .description(
      'ask a running reachlog API who can reach a workload, and what changed (REACHLOG_API_URL, REACHLOG_TOKEN)',
    )
    .argument('<cluster>', 'a registered cluster')
    .argument('<target>', 'a workload id (db/postgres[StatefulSet]), ns=db:app=postgres, or svc:ns/name')
    .option('--since <time>', 'also list what changed since then: 7d, an ISO time, snapshot:<id>')
    .option('--port <port>', 'only what can open this port, e.g. 5432/TCP')
    .option('--at <time>', 'as of then instead of the latest snapshot')
    .option('--api <url>', 'the API (default REACHLOG_API_URL, else http://127.0.0.1:PORT, PORT 8080 when unset)')
    .option('--token <token>', 'a read token (default REACHLOG_TOKEN)')
    .action(async (cluster: string, target: string, flags) => {
      const api = apiTarget(flags);
      const path = `/clusters/${encodeURIComponent(cluster)}/who-can-reach`;
      const query = { target, since: flags.since, port: flags.port, at: flags.at, limit: PAGE };
      const answer = await getJson<ReachAnswer>(api, path, query);
      let cursor = answer.entries.nextCursor;
      while (cursor) {
        // Later pages read the same snapshot: pin it, so a snapshot taken meanwhile cannot mix in.
        const next = await getJson<ReachAnswer>(api, path, {
          ...query,
          at: `snapshot:${answer.snapshot.id}`,
          since: undefined,
          cursor,
        });
        answer.entries.items.push(...next.entries.items);
        cursor = next.entries.nextCursor;
      }
      process.stdout.write(renderReachTable(answer, { target, since: flags.since, now: new Date() }));
    });
}
