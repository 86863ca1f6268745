import { Command } from 'commander';
import { env } from '../../config/env.js';
import { ensureDatabase, migrateDeploy } from '../../store/db/migrate.js';

export function migrateCommand(): Command {
  return new Command('migrate')
    .description('create the database if missing and apply migrations (DATABASE_URL)')
    .action(async () => {
      const created = await ensureDatabase();
      await migrateDeploy();
      const where = new URL(env().databaseUrl);
      process.stdout.write(
        `database ${where.pathname.slice(1)} on ${where.host}: ${created ? 'created and ' : ''}migrated\n`,
      );
    });
}
