import { readFileSync, writeFileSync } from 'node:fs';
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
import { CliError } from '../cli-error.js';
import { OPERATOR } from '../services.js';

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

/** The report service's refusals and a missing browser or key are the user's to fix: exit 1 with the message. */
async function withReports<T>(fn: (reports: ReportService) => Promise<T>): Promise<T> {
  const pool = createPool();
  try {
    return await fn(reportServiceFromEnv(pool));
  } catch (e) {
    if (e instanceof ServiceError || e instanceof BrowserMissingError || e instanceof SigningKeyError) {
      throw new CliError(e.message, 1);
    }
    throw e;
  } finally {
    await pool.end();
  }
}

function runCommand(): Command {
  return new Command('run')
    .description("run a report over a period of a cluster's history and write it (and its signature, FILE.sig)")
    .argument('<type>', REPORT_TYPES.join(', '))
    .requiredOption('--cluster <name>', 'the registered cluster')
    .requiredOption('--from <time>', "the period's start: an ISO time, a duration back from now (30d) or snapshot:<id>")
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

export function reportCommand(): Command {
  const cmd = new Command('report').description("compliance reports over a cluster's history: run, verify, keygen");
  cmd.addCommand(runCommand());
  cmd.addCommand(verifyCommand());
  cmd.addCommand(keygenCommand());
  return cmd;
}
