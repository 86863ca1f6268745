import { ArgumentError } from '../../arguments/argument-error.js';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ServiceError, type ServiceErrorCode } from '../services/query-service.js';
import { isDataException } from '../../store/db/data-exception.js';
import { DATA_EXCEPTION_DETAIL } from '../http/error-handler.js';

const HTTP_STATUS: Record<ServiceErrorCode, number> = {
  BAD_USER_INPUT: 400,
  NOT_FOUND: 404,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
};

/** A ServiceError as GraphQL reports it: its message, its code in extensions.code. */
export function toGraphqlError(e: ServiceError): GraphQLError {
  return new GraphQLError(e.message, { extensions: { code: e.code, http: { status: HTTP_STATUS[e.code] } } });
}

/**
 * The edge's error policy: ServiceErrors keep their message and code; GraphQL's own errors
 * (parse, validation, variables) pass as Apollo words them; anything else is an internal
 * error whose details go to the log, never to the caller.
 */
export function errorFormatter(log: (e: unknown) => void) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof ServiceError || original instanceof ArgumentError) {
      return { ...formatted, message: original.message, extensions: { code: original.code } };
    }
    // Postgres refused a value no parser caught (a NUL, an out-of-range number): the caller's input.
    if (isDataException(original)) {
      return { ...formatted, message: DATA_EXCEPTION_DETAIL, extensions: { code: 'BAD_USER_INPUT' } };
    }
    if (formatted.extensions?.code === 'INTERNAL_SERVER_ERROR') {
      log(original);
      return {
        message: 'internal server error',
        ...(formatted.locations ? { locations: formatted.locations } : {}),
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      };
    }
    return formatted;
  };
}
