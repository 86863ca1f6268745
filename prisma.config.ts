import { PrismaPg } from '@prisma/adapter-pg';
import { defineConfig } from 'prisma/config';
import { env } from './config/env.js';

// The schema reads DATABASE_URL; give it the same default the code uses.
process.env.DATABASE_URL = env().databaseUrl;

// Prisma 7's native engines cannot be downloaded here; 6.19 with the JS engine and the pg adapter works.
export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  adapter: async () => new PrismaPg({ connectionString: env().databaseUrl }),
});
