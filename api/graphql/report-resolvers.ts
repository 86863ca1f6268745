import { GraphQLError } from 'graphql';
import { BrowserMissingError } from '../services/reports/render/pdf.js';
import type { ReportScope } from '../services/reports/report.js';
import type { ReportService } from '../services/reports/report-service.js';
import { principalOf, type GraphqlContext } from './context.js';

type Args = Record<string, unknown>;

const withoutNulls = (o: unknown) =>
  o === null || typeof o !== 'object' ? undefined : Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null));

/** Translates arguments to a ReportService call, as the REST route does. */
export function createReportResolvers(reports: ReportService) {
  return {
    Query: {
      report: async (_: unknown, args: Args, ctx: GraphqlContext) => {
        try {
          const out = await reports.runAndRender(
            principalOf(ctx),
            {
              cluster: args.cluster as string,
              type: args.type as string,
              from: args.from as string,
              to: (args.to as string | null) ?? undefined,
              scope: withoutNulls(args.scope) as ReportScope | undefined,
              options: args.options ?? undefined,
            },
            (args.format as string | null) ?? 'json',
          );
          return {
            filename: out.filename,
            contentType: out.contentType,
            contentBase64: out.bytes.toString('base64'),
            signature: out.signature ?? null,
            report: out.report,
          };
        } catch (e) {
          if (e instanceof BrowserMissingError)
            throw new GraphQLError(e.message, { extensions: { code: 'NOT_READY' } });
          throw e;
        }
      },
    },
  };
}
