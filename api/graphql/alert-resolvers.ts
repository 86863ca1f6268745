import { ServiceError } from '../services/query-service.js';
import type { AddAlertRuleInput, AddSilenceInput, AlertService } from '../services/alert-service.js';
import { principalOf, type GraphqlContext } from './context.js';

type Args = Record<string, unknown>;

/** GraphQL passes explicit nulls inside inputs; the service reads absent fields. */
function withoutNulls<T>(o: unknown): T {
  return Object.fromEntries(Object.entries((o ?? {}) as object).filter(([, v]) => v !== null)) as T;
}

/** The alert queries and mutations only translate to AlertService calls, as the REST routes do. */
export function createAlertResolvers(alerts: AlertService | undefined) {
  const service = (): AlertService => {
    if (!alerts) throw new ServiceError('NOT_FOUND', 'alerts are not served by this API');
    return alerts;
  };
  return {
    Query: {
      alertRules: (_: unknown, _args: Args, ctx: GraphqlContext) => service().rules(principalOf(ctx)),
      alertRule: (_: unknown, args: Args, ctx: GraphqlContext) =>
        service().rule(principalOf(ctx), args.name as string, (args.recent as number) ?? 20),
      alertDeliveries: (_: unknown, args: Args, ctx: GraphqlContext) =>
        service().deliveries(principalOf(ctx), (args.status as string) ?? null, (args.limit as number) ?? 100),
      alertSilences: (_: unknown, args: Args, ctx: GraphqlContext) =>
        service().silences(principalOf(ctx), args.all === true),
    },
    Mutation: {
      addAlertRule: (_: unknown, args: Args, ctx: GraphqlContext) =>
        service().addRule(principalOf(ctx), withoutNulls<AddAlertRuleInput>(args.input)),
      removeAlertRule: async (_: unknown, args: Args, ctx: GraphqlContext) => {
        await service().removeRule(principalOf(ctx), args.name as string);
        return true;
      },
      testAlertRule: (_: unknown, args: Args, ctx: GraphqlContext) =>
        service().testRule(principalOf(ctx), args.name as string),
      addAlertSilence: (_: unknown, args: Args, ctx: GraphqlContext) =>
        service().addSilence(principalOf(ctx), withoutNulls<AddSilenceInput>(args.input)),
      endAlertSilence: async (_: unknown, args: Args, ctx: GraphqlContext) => {
        await service().endSilence(principalOf(ctx), args.id as number);
        return true;
      },
    },
  };
}
