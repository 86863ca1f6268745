import { ServiceError, type Principal } from '../services/query-service.js';

/** What every GraphQL operation runs with: the caller, from the bearer token (null: none given). */
export interface GraphqlContext {
  principal: Principal | null;
}

export function principalOf(context: GraphqlContext): Principal {
  if (!context.principal) throw new ServiceError('UNAUTHENTICATED', 'a bearer token is required');
  return context.principal;
}
