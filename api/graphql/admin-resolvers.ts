import type { AdminService, CreateTokenInput, RegisterClusterInput } from '../services/admin-service.js';
import { principalOf, type GraphqlContext } from './context.js';

type Args = Record<string, unknown>;

/** GraphQL passes explicit nulls inside inputs; the service reads absent fields. */
function withoutNulls(o: unknown): unknown {
  if (o === null || typeof o !== 'object') return o;
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null));
}

/** The mutations only translate: arguments to an AdminService call, as the REST routes do. */
export function createAdminResolvers(admin: AdminService) {
  return {
    TokenScope: { READ: 'read', ADMIN: 'admin' },
    Query: {
      tokens: (_: unknown, _args: Args, ctx: GraphqlContext) => admin.tokens(principalOf(ctx)),
    },
    Mutation: {
      registerCluster: (_: unknown, args: Args, ctx: GraphqlContext) =>
        admin.registerCluster(principalOf(ctx), {
          name: args.name,
          source: withoutNulls(args.source),
          every: args.every,
        } as RegisterClusterInput),
      setClusterPaused: (_: unknown, args: Args, ctx: GraphqlContext) =>
        admin.setPaused(principalOf(ctx), args.cluster as string, args.paused),
      removeCluster: async (_: unknown, args: Args, ctx: GraphqlContext) => {
        await admin.removeCluster(principalOf(ctx), args.cluster as string, args.purge === true);
        return true;
      },
      triggerSnapshot: (_: unknown, args: Args, ctx: GraphqlContext) =>
        admin.triggerSnapshot(principalOf(ctx), args.cluster as string),
      createToken: (_: unknown, args: Args, ctx: GraphqlContext) =>
        admin.createToken(principalOf(ctx), withoutNulls(args) as CreateTokenInput),
      revokeToken: async (_: unknown, args: Args, ctx: GraphqlContext) => {
        await admin.revokeToken(principalOf(ctx), args.name as string);
        return true;
      },
    },
  };
}
