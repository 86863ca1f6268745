import { ApolloServer } from '@apollo/server';
import type { AdminService } from '../services/admin-service.js';
import type { QueryService } from '../services/query-service.js';
import { createAdminResolvers } from './admin-resolvers.js';
import { adminTypeDefs } from './admin-schema.js';
import { createAlertResolvers } from './alert-resolvers.js';
import { alertTypeDefs } from './alert-schema.js';
import type { AlertService } from '../services/alert-service.js';
import type { GraphqlContext } from './context.js';
import { COST_BUDGET, costLimit } from './cost-limit.js';
import { depthLimit, MAX_DEPTH } from './depth-limit.js';
import { errorFormatter } from './errors.js';
import { createReportResolvers } from './report-resolvers.js';
import { reportTypeDefs } from './report-schema.js';
import { createReportDefinitionResolvers } from './report-definition-resolvers.js';
import { reportDefinitionTypeDefs } from './report-definition-schema.js';
import type { ReportDefinitionService } from '../services/reports/report-definitions.js';
import { createResolvers } from './resolvers.js';
import type { ReportService } from '../services/reports/report-service.js';
import { typeDefs } from './schema.js';

export interface GraphqlServerOptions {
  maxDepth?: number;
  costBudget?: number;
  /** Where internal errors go (their details never reach the caller). */
  logError?: (e: unknown) => void;
  /** Alert rules, deliveries and silences; absent: their fields answer NOT_FOUND. */
  alerts?: AlertService;
  /** Adds Query.report; absent: no report field. */
  reports?: ReportService;
  /** Adds the report definition queries and mutations; absent: none. */
  reportDefinitions?: ReportDefinitionService;
}

/** The GraphQL API over the QueryService and the AdminService, not started: mount it with mountGraphql. */
export function createGraphqlServer(
  service: QueryService,
  admin: AdminService,
  options: GraphqlServerOptions = {},
): ApolloServer<GraphqlContext> {
  const queries = createResolvers(service);
  const actions = createAdminResolvers(admin);
  const alerting = createAlertResolvers(options.alerts);
  const reportQueries = options.reports ? createReportResolvers(options.reports).Query : {};
  const definitions = options.reportDefinitions
    ? createReportDefinitionResolvers(options.reportDefinitions)
    : { Query: {}, Mutation: {} };
  return new ApolloServer<GraphqlContext>({
    typeDefs: [
      typeDefs,
      adminTypeDefs,
      alertTypeDefs,
      ...(options.reports ? [reportTypeDefs] : []),
      ...(options.reportDefinitions ? [reportDefinitionTypeDefs] : []),
    ],
    resolvers: {
      ...queries,
      ...actions,
      Query: { ...queries.Query, ...actions.Query, ...alerting.Query, ...reportQueries, ...definitions.Query },
      Mutation: { ...actions.Mutation, ...alerting.Mutation, ...definitions.Mutation },
    },
    validationRules: [depthLimit(options.maxDepth ?? MAX_DEPTH), costLimit(options.costBudget ?? COST_BUDGET)],
    formatError: errorFormatter(options.logError ?? ((e) => console.error('graphql: internal error:', e))),
    includeStacktraceInErrorResponses: false,
    introspection: true,
    // The process owns SIGTERM (reachlog api, the demo): Apollo's own handler would re-raise it mid-shutdown.
    stopOnTerminationSignals: false,
  });
}
