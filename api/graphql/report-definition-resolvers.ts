import type { ReportDefinitionInput, ReportDefinitionService } from '../services/reports/report-definitions.js';
import { principalOf, type GraphqlContext } from './context.js';

type Args = Record<string, unknown>;

/** GraphQL passes explicit nulls inside inputs; the service reads absent fields. */
const withoutNulls = (o: unknown) =>
  Object.fromEntries(Object.entries((o ?? {}) as object).filter(([, v]) => v !== null));

/** Translates arguments to ReportDefinitionService calls, as the REST /reports routes do. */
export function createReportDefinitionResolvers(definitions: ReportDefinitionService) {
  return {
    Query: {
      reportDefinitions: (_: unknown, _args: Args, ctx: GraphqlContext) => definitions.list(principalOf(ctx)),
      reportDefinition: (_: unknown, args: Args, ctx: GraphqlContext) =>
        definitions.get(principalOf(ctx), args.name as string),
      reportRun: (_: unknown, args: Args, ctx: GraphqlContext) =>
        definitions.getRun(principalOf(ctx), args.definition as string, args.id as number),
    },
    Mutation: {
      addReportDefinition: (_: unknown, args: Args, ctx: GraphqlContext) => {
        const input = withoutNulls(args.input);
        if (input.scope) input.scope = withoutNulls(input.scope);
        return definitions.add(principalOf(ctx), input as unknown as ReportDefinitionInput);
      },
      removeReportDefinition: async (_: unknown, args: Args, ctx: GraphqlContext) => {
        await definitions.remove(principalOf(ctx), args.name as string);
        return true;
      },
      runReportDefinition: (_: unknown, args: Args, ctx: GraphqlContext) =>
        definitions.requestRun(principalOf(ctx), args.name as string),
    },
  };
}
