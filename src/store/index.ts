export type { Db, Queryable, QueryOptions, QueryResult } from './types.js';
export { migrate, loadMigrations, splitSql } from './migrate.js';
export type { Migration } from './migrate.js';
export { createChangeCache, NO_CHANGE_FEED } from './changes.js';
export type { Change, ChangeCache, ChangeFeed, CacheStats } from './changes.js';
import { openPglite } from './pglite.js';
import { openPostgres, type Heartbeat } from './postgres.js';
import { migrate } from './migrate.js';
import type { Db } from './types.js';

/** Where the store lives: PostgreSQL when databaseUrl is set, else embedded PGlite (in memory if no dataDir). */
export interface StoreOptions {
  databaseUrl?: string;
  dataDir?: string;
  schema?: string;
  poolMax?: number;
  /** Apply pending migrations (default true). */
  migrate?: boolean;
  /** PostgreSQL: how often and how patiently the change feed proves it still hears (see postgres.ts). */
  heartbeat?: Heartbeat;
}

/** Open the store and bring its schema up to date. */
export async function openDb(opts: StoreOptions): Promise<Db> {
  const db = opts.databaseUrl
    ? await openPostgres({ url: opts.databaseUrl, schema: opts.schema, max: opts.poolMax, ...(opts.heartbeat ? { heartbeat: opts.heartbeat } : {}) })
    : await openPglite({ dataDir: opts.dataDir, schema: opts.schema });
  if (opts.migrate !== false) {
    try {
      await migrate(db);
    } catch (err) {
      await db.close();
      throw err;
    }
  }
  return db;
}

/** True when a database error is a unique-constraint violation (SQLSTATE 23505). */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23505';
}

/**
 * PostgreSQL refused text that contains U+0000 (NUL): as a text parameter (22021, invalid byte
 * sequence) or as \u0000 in JSON for a jsonb column (22P05). Only a client's text carries NUL.
 */
export function isNulInText(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, message, detail } = err as { code?: unknown; message?: unknown; detail?: unknown };
  return (code === '22021' && typeof message === 'string' && message.includes('0x00')) || (code === '22P05' && typeof detail === 'string' && detail.includes('\\u0000'));
}
