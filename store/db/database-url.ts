/** DATABASE_URL, or the local Postgres these machines (and docker-compose) provide. */
export function databaseUrl(): string {
  return process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/reachlog';
}
