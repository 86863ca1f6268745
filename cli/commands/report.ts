import { readFileSync, writeFileSync } from 'node:fs';
import type { Queue } from 'bullmq';
import { Command, Option } from 'commander';
import { env } from '../../config/env.js';
import { ServiceError } from '../../api/services/query-service.js';
import { BrowserMissingError } from '../../api/services/reports/render/pdf.js';
import { REPORT_FORMATS } from '../../api/services/reports/render/index.js';
import { REPORT_TYPES } from '../../api/services/reports/report.js';
import { reportServiceFromEnv } from '../../api/services/reports/report-service-from-env.js';
import type { ReportRequest, ReportService } from '../../api/services/reports/report-service.js';
import {
  newKeyPair,
  privateKeyOf,
  publicKeyOf,
  SigningKeyError,
  verifyBytes,
} from '../../api/services/reports/signing.js';
import { createPool } from '../../store/db/pool.js';
import { ClustersRepository } from '../../store/clusters.repository.js';
import { ReportDefinitionsRepository } from '../../store/report-definitions.repository.js';
import { createRedis } from '../../store/queue/redis-connection.js';
import { createReportQueue, type ReportJobData } from '../../store/queue/report-queue.js';
import { queuedReportJobs } from '../../store/queue/report-jobs.js';
import { ReportRunsRepository } from '../../store/report-runs.repository.js';
import { ReportDefinitionService, type ReportResultSummary } from '../../api/services/reports/report-definitions.js';
import { ArgumentError } from '../../arguments/argument-error.js';
import { isReportType } from '../../api/services/reports/report.js';
import { CliError } from '../cli-error.js';
import { OPERATOR, outageAsCliError, redisConnected } from '../services.js';
import { checkPostgres, checkRedis } from '../choose-services.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** `pci=true:web,api` → a zone whose namespaces may be reached from web and api only. */
function parseZone(text: string): { selector: string; allowFrom: string[] } {
  const at = text.lastIndexOf(':');
  if (at === -1) return { selector: text, allowFrom: [] };
  return {
    selector: text.slice(0, at),
    allowFrom: text
      .slice(at + 1)
      .split(',')
      .filter(Boolean),
  };
}

function asCliError(e: unknown): unknown {
  if (e instanceof ArgumentError) return new CliError(e.message, 2);
  if (e instanceof ServiceError || e instanceof BrowserMissingError || e instanceof SigningKeyError) {
    return new CliError(e.message, 1);
  }
  return outageAsCliError(e) ?? e;
}

/** The report service's refusals and a missing browser or key are the user's to fix: exit 1 with the message. */
async function withReports<T>(fn: (reports: ReportService) => Promise<T>): Promise<T> {
  const pool = createPool();
  try {
    return await fn(reportServiceFromEnv(pool));
  } catch (e) {
    throw asCliError(e);
  } finally {
    await pool.end();
  }
}

/**
 * Stored definitions as the operator. Commands that schedule or queue (`needs.redis`) check
 * Redis first and hand the report queue to `fn`; the others work while Redis is down.
 */
async function withDefinitions<T>(
  fn: (definitions: ReportDefinitionService, queue: Queue<ReportJobData> | undefined) => Promise<T>,
  needs: { redis: boolean },
): Promise<T> {
  const { databaseUrl, redisUrl } = env();
  await checkPostgres(databaseUrl);
  if (needs.redis) await checkRedis(redisUrl);
  const pool = createPool(databaseUrl);
  const redis = needs.redis ? createRedis(redisUrl) : undefined;
  const queue = redis && createReportQueue(redis);
  try {
    if (redis) await redisConnected(redis, redisUrl);
    const service = new ReportDefinitionService(
      new ReportDefinitionsRepository(pool),
      new ReportRunsRepository(pool),
      new ClustersRepository(pool),
      queue && redis ? queuedReportJobs(queue, redis) : undefined,
    );
    return await fn(service, queue);
  } catch (e) {
    throw asCliError(e);
  } finally {
    await queue?.close();
    redis?.disconnect();
    await pool.end();
  }
}

function resultLine(r: ReportResultSummary): string {
  return `#${r.id}\t${r.cluster}\t${r.periodFrom} – ${r.periodTo}\t${r.format}\t${r.error ? `FAILED: ${r.error}` : `${r.filename}${r.signed ? ' (signed)' : ''}`}`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Queues a run of a stored definition (the report worker carries it out) and, unless told not
 * to, waits for it: its results, or its failure (exit 1) with the reason.
 */
async function runDefinition(name: string, flags: { wait: boolean; timeout: string }): Promise<void> {
  const timeoutMs = Number(flags.timeout) * 1000;
  if (!(timeoutMs > 0)) throw new CliError(`--timeout ${flags.timeout}: a number of seconds`);
  await withDefinitions(
    async (definitions, queue) => {
      const run = await definitions.requestRun(OPERATOR, name).catch((e: unknown) => {
        if (e instanceof ServiceError && e.code === 'NOT_FOUND') {
          throw new ServiceError(
            'NOT_FOUND',
            `${JSON.stringify(name)} is neither a report type (${REPORT_TYPES.join(', ')}) nor a stored report definition`,
          );
        }
        throw e;
      });
      process.stdout.write(`queued run #${run.id} of ${name} (${run.periodFrom} – ${run.periodTo})\n`);
      if (!flags.wait) {
        process.stdout.write(`follow it with: reachlog report get ${name} --run ${run.id}\n`);
        return;
      }
      // Waiting on a queue nobody consumes would only end at the timeout: say why at once.
      if ((await queue!.getWorkersCount()) === 0) {
        throw new CliError(
          `no worker is consuming the report queue: start \`reachlog worker\` (run #${run.id} runs when one does)`,
          1,
        );
      }
      const deadline = Date.now() + timeoutMs;
      let seen = await definitions.getRun(OPERATOR, name, run.id);
      while (seen.status === 'queued' || seen.status === 'running') {
        if (Date.now() > deadline) {
          throw new CliError(
            `run #${run.id} is still ${seen.status} after ${flags.timeout} s; it goes on: reachlog report get ${name} --run ${run.id}`,
            1,
          );
        }
        await sleep(500);
        seen = await definitions.getRun(OPERATOR, name, run.id);
      }
      if (seen.results.length) process.stdout.write(`${seen.results.map(resultLine).join('\n')}\n`);
      if (seen.status === 'failed') throw new CliError(`run #${run.id} failed: ${seen.error}`, 1);
    },
    { redis: true },
  );
}

function runCommand(): Command {
  return new Command('run')
    .description(
      "run a report over a period of a cluster's history and write it (and its signature, FILE.sig); " +
        'or queue a run of a stored definition by name (a running `reachlog worker` makes it) and wait for its results',
    )
    .argument('<type-or-definition>', `${REPORT_TYPES.join(', ')}, or a stored definition's name`)
    .option('--no-wait', 'a definition: queue the run and return (its id says where to follow it)')
    .option('--timeout <seconds>', 'a definition: stop waiting after this long (the run goes on)', '600')
    .option('--cluster <name>', 'the registered cluster')
    .option('--from <time>', "the period's start: an ISO time, a duration back from now (30d) or snapshot:<id>")
    .option('--to <time>', "the period's end (default now)")
    .addOption(new Option('-o, --format <format>', 'output format').choices([...REPORT_FORMATS]).default('json'))
    .option('--out <file>', 'where to write it (default: a name saying type, cluster and time, here)')
    .option('--namespace <name>', 'scope: this namespace (repeatable)', collect)
    .option('--namespace-selector <selector>', 'scope: namespaces whose labels match (kubectl syntax)')
    .option('--workload-selector <selector>', 'scope: workloads whose pod labels match (kubectl syntax)')
    .option('--require-egress-deny', 'controls: also require default-deny egress in every namespace')
    .option(
      '--exempt-namespace <pattern>',
      'controls: exempt namespaces from the per-namespace controls (glob, repeatable)',
      collect,
    )
    .option(
      '--world-allow <pattern>',
      'controls: workloads allowed to be open to 0.0.0.0/0 (glob over ids, repeatable)',
      collect,
    )
    .option(
      '--zone <selector[:namespaces]>',
      'controls: namespaces matching the selector reachable only from themselves and the listed namespaces (repeatable)',
      collect,
    )
    .action(async (type: string, flags) => {
      if (!isReportType(type)) return runDefinition(type, flags);
      if (!flags.cluster || !flags.from) throw new CliError('a report of a type needs --cluster and --from');
      const request: ReportRequest = {
        type,
        cluster: flags.cluster,
        from: flags.from,
        to: flags.to,
        scope: {
          ...(flags.namespace ? { namespaces: flags.namespace } : {}),
          ...(flags.namespaceSelector ? { namespaceSelector: flags.namespaceSelector } : {}),
          ...(flags.workloadSelector ? { workloadSelector: flags.workloadSelector } : {}),
        },
        options: {
          requireEgressDeny: flags.requireEgressDeny === true,
          ...(flags.exemptNamespace ? { exemptNamespaces: flags.exemptNamespace } : {}),
          ...(flags.worldAllow ? { worldAllowList: flags.worldAllow } : {}),
          ...(flags.zone ? { zones: (flags.zone as string[]).map(parseZone) } : {}),
        },
      };
      await withReports(async (reports) => {
        const out = await reports.runAndRender(OPERATOR, request, flags.format);
        const file = flags.out ?? out.filename;
        writeFileSync(file, out.bytes);
        if (out.signature) {
          writeFileSync(`${file}.sig`, `${JSON.stringify(out.signature, null, 2)}\n`);
          process.stdout.write(`wrote ${file} and its signature ${file}.sig\n`);
        } else {
          process.stdout.write(`wrote ${file}\n`);
          process.stderr.write(
            'warning: not signed: set REACHLOG_REPORT_SIGNING_KEY (reachlog report keygen makes one)\n',
          );
        }
      });
    });
}

function verifyCommand(): Command {
  return new Command('verify')
    .description('check a report file against its detached signature (FILE.sig) and the trusted public key')
    .argument('<file>')
    .option('--signature <file>', 'the signature file (default FILE.sig)')
    .option(
      '--public-key <file>',
      "the trusted public key, PEM (default REACHLOG_REPORT_PUBLIC_KEY, else the signing key's)",
    )
    .action((file: string, flags) => {
      const e = env();
      const keyText = flags.publicKey ? readFileSync(flags.publicKey, 'utf8') : e.reportPublicKey;
      let key;
      try {
        if (keyText !== undefined)
          key = publicKeyOf(keyText, flags.publicKey ? '--public-key' : 'REACHLOG_REPORT_PUBLIC_KEY');
        else if (e.reportSigningKey !== undefined) key = privateKeyOf(e.reportSigningKey);
      } catch (err) {
        if (err instanceof SigningKeyError) throw new CliError(err.message, 2);
        throw err;
      }
      if (!key) throw new CliError('no key to verify with: pass --public-key or set REACHLOG_REPORT_PUBLIC_KEY', 2);
      const sigFile = flags.signature ?? `${file}.sig`;
      let bytes: Buffer;
      let sig: unknown;
      try {
        bytes = readFileSync(file);
        sig = JSON.parse(readFileSync(sigFile, 'utf8'));
      } catch (err) {
        throw new CliError(
          `cannot read ${(err as NodeJS.ErrnoException).path ?? sigFile}: ${(err as Error).message}`,
          1,
        );
      }
      const outcome = verifyBytes(bytes, sig, key);
      if (!outcome.ok) throw new CliError(`${file}: NOT verified: ${outcome.reason}`, 1);
      process.stdout.write(`${file}: verified, signed by key ${outcome.keyFingerprint}\n`);
    });
}

function keygenCommand(): Command {
  return new Command('keygen')
    .description('make an ed25519 key pair for signing reports (prints REACHLOG_REPORT_SIGNING_KEY and _PUBLIC_KEY)')
    .action(() => {
      const pair = newKeyPair();
      const oneLine = (pem: string) => pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
      process.stdout.write(
        `REACHLOG_REPORT_SIGNING_KEY=${oneLine(pair.privateKey)}\nREACHLOG_REPORT_PUBLIC_KEY=${oneLine(pair.publicKey)}\n`,
      );
    });
}

function definitionCommands(cmd: Command): void {
  cmd
    .command('add')
    .description('store a report definition (run it with `report run NAME`; with --schedule a worker runs it)')
    .argument('<name>')
    .requiredOption('--type <type>', REPORT_TYPES.join(', '))
    .requiredOption('--cluster <name>', 'a cluster it covers (repeatable)', collect)
    .option(
      '--period <duration>',
      'how far back a run looks; scheduled runs after the first cover the time since the previous one',
      '7d',
    )
    .option('--schedule <cron>', 'a cron expression (UTC), e.g. "0 6 * * 1"')
    .option('-o, --format <format>', `a format to keep (repeatable): ${REPORT_FORMATS.join(', ')}`, collect)
    .option('--namespace <name>', 'scope: this namespace (repeatable)', collect)
    .option('--namespace-selector <selector>', 'scope: namespaces whose labels match')
    .option('--workload-selector <selector>', 'scope: workloads whose pod labels match')
    .option(
      '--options <json>',
      'type options as JSON (controls: {"zones":[{"selector":"pci=true","allowFrom":["web"]}]})',
    )
    .action(async (name: string, flags) => {
      if (isReportType(name)) throw new CliError(`a definition may not be named like a report type (${name})`);
      let options: unknown;
      try {
        options = flags.options === undefined ? undefined : JSON.parse(flags.options);
      } catch (e) {
        throw new CliError(`--options: not JSON: ${(e as Error).message}`);
      }
      await withDefinitions(
        async (definitions) => {
          const d = await definitions.add(OPERATOR, {
            name,
            type: flags.type,
            clusters: flags.cluster,
            period: flags.period,
            schedule: flags.schedule,
            formats: flags.format ?? ['json'],
            scope: {
              ...(flags.namespace ? { namespaces: flags.namespace } : {}),
              ...(flags.namespaceSelector ? { namespaceSelector: flags.namespaceSelector } : {}),
              ...(flags.workloadSelector ? { workloadSelector: flags.workloadSelector } : {}),
            },
            options,
          });
          const when = d.schedule ?? 'on demand';
          process.stdout.write(
            `added ${d.name}\t${d.type}\t${d.clusters.join(',')}\t${when}\t${d.formats.join(',')}\n`,
          );
        },
        { redis: flags.schedule !== undefined },
      );
    });
  cmd
    .command('list')
    .description('stored report definitions')
    .action(() =>
      withDefinitions(
        async (definitions) => {
          const lines = (await definitions.list(OPERATOR)).map(
            (d) =>
              `${d.name}\t${d.type}\t${d.clusters.join(',')}\tperiod ${d.period}\t${d.schedule ?? 'on demand'}\t${d.formats.join(',')}`,
          );
          process.stdout.write(lines.length ? `${lines.join('\n')}\n` : 'no report definitions\n');
        },
        { redis: false },
      ),
    );
  cmd
    .command('remove')
    .description('remove a stored definition, its schedule, runs and kept results')
    .argument('<name>')
    .action((name: string) =>
      withDefinitions(
        async (definitions) => {
          await definitions.remove(OPERATOR, name);
          process.stdout.write(`removed ${name}\n`);
        },
        { redis: true },
      ),
    );
  cmd
    .command('get')
    .description(
      "a definition, its kept results and latest runs; with --run ID, that run; with --result ID, write that result's file and signature",
    )
    .argument('<name>')
    .option('--run <id>', "a run's status and results")
    .option('--result <id>', 'a result id to download')
    .option('--out <file>', 'where to write the result (default: its file name, here)')
    .action((name: string, flags) =>
      withDefinitions(
        async (definitions) => {
          if (flags.run !== undefined) {
            if (!/^\d{1,9}$/.test(flags.run)) throw new CliError(`--run ${flags.run}: a run id`);
            const run = await definitions.getRun(OPERATOR, name, Number(flags.run));
            process.stdout.write(`run #${run.id}\t${run.status}${run.error ? `\t${run.error}` : ''}\n`);
            if (run.results.length) process.stdout.write(`${run.results.map(resultLine).join('\n')}\n`);
            return;
          }
          const { definition, results, runs } = await definitions.get(OPERATOR, name);
          if (flags.result === undefined) {
            process.stdout.write(`${JSON.stringify(definition, null, 2)}\nresults:\n`);
            process.stdout.write(results.length ? `${results.map(resultLine).join('\n')}\n` : '  none yet\n');
            process.stdout.write('runs:\n');
            process.stdout.write(
              runs.length
                ? `${runs.map((r) => `#${r.id}\t${r.status}\t${r.createdAt}\t${r.requestedBy}${r.error ? `\t${r.error}` : ''}`).join('\n')}\n`
                : '  none yet\n',
            );
            return;
          }
          if (!/^\d+$/.test(flags.result)) throw new CliError(`--result ${flags.result}: a result id`);
          if (!results.some((r) => r.id === Number(flags.result))) {
            throw new CliError(`result ${flags.result} is not one of ${name}'s`, 1);
          }
          const file = await definitions.resultFile(OPERATOR, Number(flags.result));
          const out = flags.out ?? file.filename;
          writeFileSync(out, file.bytes);
          if (file.signature) writeFileSync(`${out}.sig`, `${JSON.stringify(file.signature, null, 2)}\n`);
          process.stdout.write(`wrote ${out}${file.signature ? ` and ${out}.sig` : ''}\n`);
        },
        { redis: false },
      ),
    );
}

export function reportCommand(): Command {
  const cmd = new Command('report').description(
    "compliance reports over a cluster's history: run, add, list, get, remove, verify, keygen",
  );
  cmd.addCommand(runCommand());
  definitionCommands(cmd);
  cmd.addCommand(verifyCommand());
  cmd.addCommand(keygenCommand());
  return cmd;
}
