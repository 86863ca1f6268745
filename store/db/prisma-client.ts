import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../../prisma/generated/client.js';
import { databaseUrl } from './database-url.js';

export type Db = InstanceType<typeof PrismaClient>;

/** Prisma over the pg driver adapter (no native engine needed). */
export function createPrisma(url: string = databaseUrl()): Db {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
}
