import { readFileSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
import { decodeContinue, encodeContinue } from './continue-token.js';
import { takeFault, type Fault, type FaultAction } from './faults.js';
import {
  apiVersionOf,
  BUILT_IN_GROUPS,
  pathOf,
  SERVED,
  type FakeResource,
  type ServedResource,
} from './served-resources.js';
import { EXPIRED_MESSAGE, statusFor } from './status.js';

/** One request as the fake saw it, for tests to assert on. */
export interface RecordedRequest {
  path: string;
  /** The list resource, `discovery` for `GET /apis`, or undefined for anything else. */
  target: FakeResource | 'discovery' | undefined;
  limit: number | undefined;
  continue: string | undefined;
  authorization: string | undefined;
  status: number;
  gzip: boolean;
}

export interface FakeKubeApiOptions {
  /** The bearer token the fake accepts. */
  token?: string;
  /** Serve HTTPS with the self-signed certificate beside this file (CA = FAKE_CA_PEM). */
  tls?: boolean;
}

const HERE = new URL('.', import.meta.url);
/**
 * A self-signed certificate for 127.0.0.1 and localhost, valid for a century. Regenerate with
 * `openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout tls.key
 * -out tls.crt -days 36500 -subj /CN=fake-kube-api -addext subjectAltName=IP:127.0.0.1,DNS:localhost
 * -addext basicConstraints=critical,CA:TRUE`.
 */
export const FAKE_CA_PEM = readFileSync(new URL('tls.crt', HERE), 'utf8');
const FAKE_KEY_PEM = readFileSync(new URL('tls.key', HERE), 'utf8');

/** The apiserver gzips responses larger than this when the client accepts it (APIResponseCompression). */
const GZIP_THRESHOLD_BYTES = 128 * 1024;

/**
 * A stand-in for kube-apiserver's list API: real JSON shapes, limit/continue pagination over
 * consistent snapshots, bearer-token auth, discovery of the admin policy CRDs, and faults
 * injected per endpoint. Tests set its objects and read its request log.
 */
export class FakeKubeApi {
  readonly requests: RecordedRequest[] = [];
  /** Called as each request arrives, before it is answered: a test can change state between pages. */
  onRequest: ((request: RecordedRequest) => void) | undefined;

  private readonly objects = new Map<FakeResource, unknown[]>();
  private readonly installed = new Set<FakeResource>([
    'namespaces',
    'pods',
    'services',
    'nodes',
    'networkpolicies',
    'replicasets',
    'jobs',
  ]);
  private readonly faults = new Map<string, Fault>();
  /** List snapshots by `resource@resourceVersion`, as etcd keeps old revisions until compaction. */
  private readonly snapshots = new Map<string, unknown[]>();
  private resourceVersion = 1000;

  private readonly server: http.Server;

  private constructor(
    readonly token: string,
    readonly tls: boolean,
  ) {
    const handler = (req: IncomingMessage, res: ServerResponse) => void this.handle(req, res);
    this.server = tls
      ? https.createServer({ cert: FAKE_CA_PEM, key: FAKE_KEY_PEM }, handler)
      : http.createServer(handler);
  }

  /** Listens on 127.0.0.1 at a free port. */
  static async start(options: FakeKubeApiOptions = {}): Promise<FakeKubeApi> {
    const fake = new FakeKubeApi(options.token ?? 'fake-token-0123456789abcdef', options.tls ?? false);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `${this.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Replaces one resource's objects; items need not be valid (malformed ones are served as given). */
  setObjects(resource: FakeResource, items: unknown[]): void {
    this.objects.set(resource, items);
    this.resourceVersion++;
  }

  /** Installs (or removes) a CRD: discovery lists its group version and its list path answers. */
  setInstalled(resource: FakeResource, installed: boolean): void {
    if (installed) this.installed.add(resource);
    else this.installed.delete(resource);
  }

  /** Adds faults to an endpoint (`pods`, …, or `discovery`), replacing earlier ones. */
  inject(target: FakeResource | 'discovery', fault: Fault): void {
    this.faults.set(target, fault);
  }

  /** Forgets every list snapshot, as etcd compaction does: outstanding continue tokens now get 410 Gone. */
  compact(): void {
    this.snapshots.clear();
  }

  requestsFor(target: FakeResource | 'discovery'): RecordedRequest[] {
    return this.requests.filter((r) => r.target === target);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const served = SERVED.find((r) => pathOf(r) === url.pathname);
    const target = url.pathname === '/apis' ? 'discovery' : served?.plural;
    const limitText = url.searchParams.get('limit');
    const record: RecordedRequest = {
      path: url.pathname,
      target,
      limit: limitText === null ? undefined : Number(limitText),
      continue: url.searchParams.get('continue') ?? undefined,
      authorization: req.headers.authorization,
      status: 0,
      gzip: false,
    };
    this.requests.push(record);
    this.onRequest?.(record);
    const action = takeFault(target && this.faults.get(target), record.continue !== undefined);
    if (action.reset) {
      req.socket.destroy();
      return;
    }
    if (action.delay && !action.delay.midBody) await sleep(action.delay.ms);
    const [status, body] = this.answer(req, url, served, target, action);
    record.status = status;
    await this.send(req, res, record, status, body, action);
  }

  private answer(
    req: IncomingMessage,
    url: URL,
    served: ServedResource | undefined,
    target: RecordedRequest['target'],
    action: FaultAction,
  ): [number, unknown] {
    if (req.method !== 'GET') return [405, statusFor(405, `method ${req.method} is not allowed`)];
    if (req.headers.authorization !== `Bearer ${this.token}`) return [401, statusFor(401, 'Unauthorized')];
    if (action.fail)
      return [action.fail.status, statusFor(action.fail.status, `injected failure ${action.fail.status}`)];
    if (target === 'discovery') return [200, this.groupList()];
    if (!served || !this.installed.has(served.plural)) {
      return [404, statusFor(404, 'the server could not find the requested resource')];
    }
    return this.list(served, url.searchParams, action.expire);
  }

  /** `GET /apis`: an APIGroupList naming every served group version, CRDs included. */
  private groupList(): unknown {
    const groups = new Map(BUILT_IN_GROUPS.map((g) => [g.name, [...g.versions]]));
    for (const r of SERVED.filter((s) => s.custom && this.installed.has(s.plural))) {
      const versions = groups.get(r.group) ?? [];
      if (!versions.includes(r.version)) versions.push(r.version);
      groups.set(r.group, versions);
    }
    return {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: [...groups].map(([name, versions]) => {
        const entries = versions.map((version) => ({ groupVersion: `${name}/${version}`, version }));
        return { name, versions: entries, preferredVersion: entries[0] };
      }),
    };
  }

  private list(served: ServedResource, query: URLSearchParams, expire: boolean): [number, unknown] {
    const token = query.get('continue');
    let resourceVersion = this.resourceVersion;
    let offset = 0;
    if (token !== null) {
      const point = decodeContinue(token);
      if (!point || point.resource !== served.plural) return [400, statusFor(400, 'continue key is not valid')];
      if (expire || !this.snapshots.has(`${point.resource}@${point.resourceVersion}`)) {
        // The real 410 carries a token for an inconsistent continuation; the collector must not use it.
        const inconsistent = encodeContinue({ ...point, resourceVersion: this.resourceVersion });
        return [410, statusFor(410, EXPIRED_MESSAGE, { continue: inconsistent })];
      }
      resourceVersion = point.resourceVersion;
      offset = point.offset;
    }
    const key = `${served.plural}@${resourceVersion}`;
    const snapshot = this.snapshots.get(key) ?? [...(this.objects.get(served.plural) ?? [])];
    this.snapshots.set(key, snapshot);

    const limit = Number(query.get('limit') ?? '0');
    const end = limit > 0 ? Math.min(snapshot.length, offset + limit) : snapshot.length;
    const metadata: Record<string, unknown> = { resourceVersion: String(resourceVersion) };
    if (end < snapshot.length) {
      metadata.continue = encodeContinue({ resource: served.plural, resourceVersion, offset: end });
      metadata.remainingItemCount = snapshot.length - end;
    }
    const items = snapshot.slice(offset, end).map((item) => asServed(served, item));
    return [200, { kind: served.listKind, apiVersion: apiVersionOf(served), metadata, items }];
  }

  private async send(
    req: IncomingMessage,
    res: ServerResponse,
    record: RecordedRequest,
    status: number,
    body: unknown,
    action: FaultAction,
  ): Promise<void> {
    // The client may have timed out during an injected delay and closed the connection.
    if (res.destroyed) return;
    let payload = Buffer.from(JSON.stringify(body));
    const headers: http.OutgoingHttpHeaders = { 'Content-Type': 'application/json' };
    if (action.fail?.retryAfterSeconds !== undefined) headers['Retry-After'] = String(action.fail.retryAfterSeconds);
    if (/\bgzip\b/.test(req.headers['accept-encoding'] ?? '') && payload.length > GZIP_THRESHOLD_BYTES) {
      payload = gzipSync(payload);
      headers['Content-Encoding'] = 'gzip';
      record.gzip = true;
    }
    headers['Content-Length'] = payload.length;
    res.writeHead(status, headers);
    if (!action.delay?.midBody) {
      res.end(payload);
      return;
    }
    const half = Math.floor(payload.length / 2);
    res.write(payload.subarray(0, half));
    await sleep(action.delay.ms);
    // The client may have given up and closed the connection meanwhile.
    if (!res.destroyed) res.end(payload.subarray(half));
  }
}

/** Items as the apiserver encodes them: built-in list items lose kind and apiVersion, CRD items keep them. */
function asServed(served: ServedResource, item: unknown): unknown {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return item;
  const { kind, apiVersion, ...rest } = item as Record<string, unknown>;
  if (!served.custom) return rest;
  return {
    apiVersion: apiVersion ?? apiVersionOf(served),
    kind: kind ?? served.listKind.slice(0, -'List'.length),
    ...rest,
  };
}
