import type { Router } from 'express';
import { principalOf, requireScope } from '../http/auth.js';
import type { AdminService, CreateTokenInput } from '../services/admin-service.js';
import { pathParam, QueryParams } from './query-params.js';
import { bodyOf, json } from './send.js';

/** Token management, for admin tokens not bound to a cluster. */
export function addTokenRoutes(router: Router, admin: AdminService): void {
  router.get(
    '/tokens',
    requireScope('admin'),
    json(async (req) => {
      new QueryParams(req.query).done();
      return { items: await admin.tokens(principalOf(req)) };
    }),
  );
  router.post(
    '/tokens',
    requireScope('admin'),
    json((req) => admin.createToken(principalOf(req), bodyOf(req) as unknown as CreateTokenInput), 201),
  );
  router.delete(
    '/tokens/:name',
    requireScope('admin'),
    json(async (req) => {
      await admin.revokeToken(principalOf(req), pathParam(req, 'name'));
    }),
  );
}
