import type { Router } from 'express';
import { principalOf, requireScope } from '../http/auth.js';
import type { AddAlertRuleInput, AddSilenceInput, AlertService } from '../services/alert-service.js';
import { ServiceError } from '../services/query-service.js';
import { pathParam, QueryParams } from './query-params.js';
import { bodyOf, json } from './send.js';

/**
 * Alert rules, deliveries and silences: admin scope, except that read tokens may list rules and
 * silences (the service checks); a cluster-bound token sees its cluster's.
 */
export function addAlertRoutes(router: Router, alerts: AlertService | undefined): void {
  const service = (): AlertService => {
    if (!alerts) throw new ServiceError('NOT_FOUND', 'alerts are not served by this API');
    return alerts;
  };
  router.get(
    '/alerts/rules',
    json(async (req) => {
      new QueryParams(req.query).done();
      return { items: await service().rules(principalOf(req)) };
    }),
  );
  router.post(
    '/alerts/rules',
    requireScope('admin'),
    json((req) => service().addRule(principalOf(req), bodyOf(req) as unknown as AddAlertRuleInput), 201),
  );
  router.get(
    '/alerts/rules/:rule',
    requireScope('admin'),
    json(async (req) => {
      const q = new QueryParams(req.query);
      const recent = q.optional('recent');
      q.done();
      return service().rule(principalOf(req), pathParam(req, 'rule'), recent === undefined ? 20 : Number(recent));
    }),
  );
  router.delete(
    '/alerts/rules/:rule',
    requireScope('admin'),
    json(async (req) => {
      await service().removeRule(principalOf(req), pathParam(req, 'rule'));
    }),
  );
  router.post(
    '/alerts/rules/:rule/test',
    requireScope('admin'),
    json(async (req) => ({ results: await service().testRule(principalOf(req), pathParam(req, 'rule')) })),
  );
  router.get(
    '/alerts/deliveries',
    requireScope('admin'),
    json(async (req) => {
      const q = new QueryParams(req.query);
      const status = q.optional('status') ?? null;
      const limit = Number(q.optional('limit') ?? 100);
      q.done();
      return { items: await service().deliveries(principalOf(req), status, limit) };
    }),
  );
  router.get(
    '/alerts/silences',
    json(async (req) => {
      const q = new QueryParams(req.query);
      const all = q.optional('all') === 'true';
      q.done();
      return { items: await service().silences(principalOf(req), all) };
    }),
  );
  router.post(
    '/alerts/silences',
    requireScope('admin'),
    json((req) => service().addSilence(principalOf(req), bodyOf(req) as unknown as AddSilenceInput), 201),
  );
  router.delete(
    '/alerts/silences/:id',
    requireScope('admin'),
    json(async (req) => {
      await service().endSilence(principalOf(req), Number(pathParam(req, 'id')));
    }),
  );
}
