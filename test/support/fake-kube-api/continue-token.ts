/**
 * What a continue token points at: a list snapshot (resource at a resourceVersion) and the
 * offset of the next item. The real token is opaque base64 JSON too (an etcd key and revision).
 */
export interface ContinuePoint {
  resource: string;
  resourceVersion: number;
  offset: number;
}

export function encodeContinue(point: ContinuePoint): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', ...point })).toString('base64url');
}

/** Undefined for a token this fake did not issue (the apiserver answers 400 BadRequest). */
export function decodeContinue(token: string): ContinuePoint | undefined {
  try {
    const point: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (typeof point !== 'object' || point === null) return undefined;
    const { resource, resourceVersion, offset } = point as Record<string, unknown>;
    if (typeof resource !== 'string' || typeof resourceVersion !== 'number' || typeof offset !== 'number')
      return undefined;
    return { resource, resourceVersion, offset };
  } catch {
    return undefined;
  }
}
