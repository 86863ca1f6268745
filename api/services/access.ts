import { isName } from '../../arguments/name.js';
import { ServiceError, type Principal } from './query-service.js';
import type { ClustersRepository, ClusterWithLastSnapshot } from '../../store/clusters.repository.js';

/** Every query reads: a principal needs the `read` scope (`admin` includes it). */
export function authorizeRead(p: Principal | null | undefined): Principal {
  if (!p) throw new ServiceError('UNAUTHENTICATED', 'a bearer token is required');
  if (!p.scopes.includes('read') && !p.scopes.includes('admin')) {
    throw new ServiceError('FORBIDDEN', `token ${p.name} lacks the read scope`);
  }
  return p;
}

/**
 * The cluster a principal asks for. One it may not see is reported exactly like one that does
 * not exist, so tokens cannot probe for the names of other teams' clusters.
 */
export async function visibleCluster(
  clusters: Pick<ClustersRepository, 'byName'>,
  p: Principal,
  name: unknown,
): Promise<ClusterWithLastSnapshot> {
  authorizeRead(p);
  if (typeof name !== 'string' || name === '') throw new ServiceError('BAD_USER_INPUT', 'cluster is required');
  // A name no cluster can have (a NUL, a slash) is not looked up: Postgres would refuse a NUL.
  const row = isName(name) ? await clusters.byName(name, p.clusterIds) : undefined;
  if (!row) throw new ServiceError('NOT_FOUND', `cluster ${JSON.stringify(name)} not found`);
  return row;
}
