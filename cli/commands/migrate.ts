import { Command } from 'commander';
import { databaseUrl } from '../../worker/store/database-url.js';
import { ensureDatabase, migrateDeploy, withMigrationLock } from '../../worker/store/migrate.js';

export function migrateCommand(): Command {
  return new Command('migrate')
    .description('create the database if missing and apply migrations (DATABASE_URL)')
    .action(async () => {
      const created = await ensureDatabase();
      // Every pod runs this before it starts (deploy/kubernetes): one at a time.
      await withMigrationLock(databaseUrl(), () => migrateDeploy());
      const where = new URL(databaseUrl());
      process.stdout.write(
        `database ${where.pathname.slice(1)} on ${where.host}: ${created ? 'created and ' : ''}migrated\n`,
      );
    });
}
