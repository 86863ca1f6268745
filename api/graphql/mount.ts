import type { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { ServiceError, type Principal } from '../services/query-service.js';
import type { GraphqlContext } from './context.js';
import { toGraphqlError } from './errors.js';

/** The caller of a request, from its bearer token; null when none was given. May throw ServiceError. */
export type PrincipalFromRequest = (req: express.Request) => Principal | null | Promise<Principal | null>;

/**
 * Starts the server and mounts it at `path` (default /graphql). A request without a principal
 * is refused before any resolver runs: UNAUTHENTICATED, HTTP 401.
 */
export async function mountGraphql(
  app: express.Router,
  server: ApolloServer<GraphqlContext>,
  principalFromRequest: PrincipalFromRequest,
  path = '/graphql',
): Promise<void> {
  await server.start();
  app.use(
    path,
    express.json({ limit: '64kb' }),
    expressMiddleware(server, {
      context: async ({ req }): Promise<GraphqlContext> => {
        let principal: Principal | null;
        try {
          principal = await principalFromRequest(req);
        } catch (e) {
          if (e instanceof ServiceError) throw toGraphqlError(e);
          throw e;
        }
        if (!principal) throw toGraphqlError(new ServiceError('UNAUTHENTICATED', 'a bearer token is required'));
        return { principal };
      },
    }),
  );
}
