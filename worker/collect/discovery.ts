import type { KubeSession } from './collect-options.js';
import { KubeApiError } from './kube-api-error.js';
import { getJson, isJsonObject } from './kube-get-json.js';
import { groupVersion, type KubeResource } from './kube-resources.js';

/**
 * The group versions the apiserver serves outside the core group (`GET /apis`, an
 * APIGroupList), e.g. `policy.networking.k8s.io/v1alpha1` once the admin policy CRDs are
 * installed.
 */
export async function servedGroupVersions(session: KubeSession): Promise<Set<string>> {
  const groupList = await getJson(session, 'discovery', '/apis');
  const malformed = (detail: string) =>
    new KubeApiError({
      cluster: session.cluster,
      resource: 'discovery',
      failure: 'malformed-response',
      status: 200,
      detail,
    });
  if (!Array.isArray(groupList.groups)) throw malformed('APIGroupList has no groups array');
  const served = new Set<string>();
  for (const group of groupList.groups) {
    if (!isJsonObject(group) || !Array.isArray(group.versions))
      throw malformed('APIGroupList group has no versions array');
    for (const version of group.versions) {
      if (isJsonObject(version) && typeof version.groupVersion === 'string') served.add(version.groupVersion);
    }
  }
  return served;
}

export function isServed(resource: KubeResource, served: ReadonlySet<string>): boolean {
  return served.has(groupVersion(resource));
}
