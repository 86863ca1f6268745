import type { Request, Response, Router } from 'express';
import { principalOf } from '../http/auth.js';
import { sendProblem } from '../http/problem.js';
import { BrowserMissingError } from '../services/reports/render/pdf.js';
import type { ReportDefinitionService } from '../services/reports/report-definitions.js';
import type { ReportRequest, ReportService, SignedReport } from '../services/reports/report-service.js';
import { requireScope } from '../http/auth.js';
import { ServiceError } from '../services/query-service.js';
import { pathParam, QueryParams } from './query-params.js';
import { bodyOf, json } from './send.js';

/** The detached signature travels with the file, as this header (base64 of the `.sig` file's JSON). */
export const SIGNATURE_HEADER = 'X-Reachlog-Signature';

function send(res: Response, out: SignedReport): void {
  res.set('Content-Type', out.contentType);
  res.set('Content-Disposition', `attachment; filename="${out.filename}"`);
  if (out.signature) res.set(SIGNATURE_HEADER, Buffer.from(JSON.stringify(out.signature)).toString('base64'));
  res.status(200).end(out.bytes);
}

async function respond(res: Response, make: () => Promise<SignedReport>): Promise<void> {
  let out: SignedReport;
  try {
    out = await make();
  } catch (e) {
    // The server lacks a browser: not the caller's fault, and other formats still work.
    if (e instanceof BrowserMissingError) return sendProblem(res, 'NOT_READY', e.message);
    throw e;
  }
  if (!res.headersSent) send(res, out);
}

const list = (text: string | undefined) =>
  text === undefined
    ? undefined
    : text
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);

/**
 * Reports on demand, as files: GET with query parameters (a download link), or POST with a
 * JSON body for what query parameters say badly (control options).
 */
export function addReportRoutes(router: Router, reports: ReportService): void {
  router.get('/clusters/:name/reports/:type', async (req: Request, res: Response) => {
    const q = new QueryParams(req.query);
    const from = q.required('from');
    const to = q.optional('to');
    const format = q.optional('format') ?? 'json';
    const namespaces = list(q.optional('namespaces'));
    const namespaceSelector = q.optional('namespaceSelector');
    const workloadSelector = q.optional('workloadSelector');
    const requireEgressDeny = q.optional('requireEgressDeny');
    const exemptNamespaces = list(q.optional('exemptNamespaces'));
    const worldAllowList = list(q.optional('worldAllowList'));
    q.done();
    const request: ReportRequest = {
      type: pathParam(req, 'type'),
      cluster: pathParam(req, 'name'),
      from,
      to,
      scope: {
        ...(namespaces ? { namespaces } : {}),
        ...(namespaceSelector ? { namespaceSelector } : {}),
        ...(workloadSelector ? { workloadSelector } : {}),
      },
      options: {
        requireEgressDeny: requireEgressDeny === 'true',
        ...(exemptNamespaces ? { exemptNamespaces } : {}),
        ...(worldAllowList ? { worldAllowList } : {}),
      },
    };
    await respond(res, () => reports.runAndRender(principalOf(req), request, format));
  });
  router.post('/clusters/:name/reports/:type', async (req: Request, res: Response) => {
    new QueryParams(req.query).done();
    const body = bodyOf(req);
    const request: ReportRequest = {
      type: pathParam(req, 'type'),
      cluster: pathParam(req, 'name'),
      from: body.from as string,
      to: body.to as string | undefined,
      scope: body.scope as ReportRequest['scope'],
      options: body.options,
    };
    const format = typeof body.format === 'string' ? body.format : 'json';
    await respond(res, () => reports.runAndRender(principalOf(req), request, format));
  });
}

function numericId(req: Request, param: string, what: string): number {
  const text = pathParam(req, param);
  if (!/^\d{1,9}$/.test(text)) throw new ServiceError('BAD_USER_INPUT', `${what} ${JSON.stringify(text)}: a number`);
  return Number(text);
}

/** Stored definitions (GET/POST /reports, GET/DELETE /reports/{name}, POST /reports/{name}/runs, GET …/runs/{id}) and kept results. */
export function addReportDefinitionRoutes(router: Router, definitions: ReportDefinitionService): void {
  router.get(
    '/reports',
    json(async (req) => {
      new QueryParams(req.query).done();
      return { items: await definitions.list(principalOf(req)) };
    }),
  );
  router.post(
    '/reports',
    requireScope('admin'),
    json((req) => definitions.add(principalOf(req), bodyOf(req) as never), 201),
  );
  router.get(
    '/reports/:report',
    json((req) => {
      new QueryParams(req.query).done();
      return definitions.get(principalOf(req), pathParam(req, 'report'));
    }),
  );
  router.delete(
    '/reports/:report',
    requireScope('admin'),
    json((req) => definitions.remove(principalOf(req), pathParam(req, 'report'))),
  );
  // A run is queued, not made in the request (a PDF may take longer than the request timeout):
  // 202 with the run and where to follow it.
  router.post(
    '/reports/:report/runs',
    requireScope('admin'),
    json(async (req, res) => {
      new QueryParams(req.query).done();
      const run = await definitions.requestRun(principalOf(req), pathParam(req, 'report'));
      res.set('Location', run.statusUrl);
      return run;
    }, 202),
  );
  router.get(
    '/reports/:report/runs/:run',
    json((req) => {
      new QueryParams(req.query).done();
      return definitions.getRun(principalOf(req), pathParam(req, 'report'), numericId(req, 'run', 'report run id'));
    }),
  );
  router.get('/report-results/:id', async (req: Request, res: Response) => {
    new QueryParams(req.query).done();
    const file = await definitions.resultFile(principalOf(req), numericId(req, 'id', 'report result id'));
    res.set('Content-Type', file.contentType);
    res.set('Content-Disposition', `attachment; filename="${file.filename}"`);
    if (file.signature) res.set(SIGNATURE_HEADER, Buffer.from(JSON.stringify(file.signature)).toString('base64'));
    res.status(200).end(file.bytes);
  });
}
