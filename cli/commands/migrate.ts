import { Command } from 'commander';
import { env } from '../../config/env.js';
import { ensureDatabase, migrateDeploy, withMigrationLock } from '../../store/db/migrate.js';

export function migrateCommand(): Command {
  return new Command('migrate')
    .description('create the database if missing and apply migrations (DATABASE_URL)')
    .action(async () => {
      const url = env().databaseUrl;
      const created = await ensureDatabase(url);
      // Every pod runs this before it starts (deploy/kubernetes): one at a time.
      await withMigrationLock(url, () => migrateDeploy(url));
      const where = new URL(url);
      process.stdout.write(
        `database ${where.pathname.slice(1)} on ${where.host}: ${created ? 'created and ' : ''}migrated\n`,
      );
    });
}
