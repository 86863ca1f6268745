import type { Redis } from 'ioredis';

/**
 * A key the worker keeps in Redis so that it notices Redis losing its data while connected
 * (FLUSHALL, a failover to an empty replica the client reconnects to at once): every job
 * scheduler goes with it, and no cluster would be snapshotted until the next reconcile.
 */
export const DATA_MARKER_KEY = 'reachlog:data-marker';

/** How often the marker is checked: one SET NX, cheap enough every few seconds. */
export const DATA_CHECK_EVERY_MS = 5_000;

/**
 * Writes the marker unless it is there, and says whether it was missing: Redis lost its data
 * since it was last written (or this is the first worker on this Redis). One atomic command,
 * so among several workers only the first to notice answers true.
 */
export async function markerWasMissing(redis: Pick<Redis, 'set'>): Promise<boolean> {
  return (
    (await redis.set(DATA_MARKER_KEY, `written by a reachlog worker at ${new Date().toISOString()}`, 'NX')) === 'OK'
  );
}
