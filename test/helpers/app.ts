import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppDeps } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { openDb, type Db } from '../../src/store/index.js';
import { REDACT_PATHS } from '../../src/plugins/logging.js';
import { openTestDb, dropTestSchemas } from './stores.js';

/** A built app on a fresh store, with helpers to act as admin or an institution. */
export interface TestApp {
  app: FastifyInstance;
  db: Db;
  config: Config;
  adminToken: string;
  /** Everything the app logged, one JSON line per entry. */
  logs: string[];
  admin: { authorization: string };
  createInstitution(slug: string, extra?: Record<string, unknown>): Promise<{ slug: string; did: string; apiKey: string; auth: { authorization: string } }>;
  close(): Promise<void>;
}

/** Build the app against PGlite (or PostgreSQL) with test secrets and a captured logger. */
export async function buildTestApp(opts: { kind?: 'pglite' | 'postgres'; env?: Record<string, string>; deps?: Partial<AppDeps>; db?: Db } = {}): Promise<TestApp> {
  const config = loadConfig({ NODE_ENV: 'test', PUBLIC_URL: 'https://issuer.test', LOG_LEVEL: 'info', ...opts.env });
  const db = opts.db ?? (await openTestDb(opts.kind ?? 'pglite'));
  const adminToken = `admintoken_${randomBytes(16).toString('hex')}`;
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  const logger = pino({ level: 'info', redact: { paths: REDACT_PATHS, censor: '[Redacted]' } }, sink);
  const app = await buildApp(config, { db, kek: randomBytes(32), adminToken, logger, ...opts.deps });
  await app.ready();
  const admin = { authorization: `Bearer ${adminToken}` };
  return {
    app,
    db,
    config,
    adminToken,
    logs,
    admin,
    async createInstitution(slug, extra = {}) {
      const res = await app.inject({
        method: 'POST',
        url: '/admin/institutions',
        headers: admin,
        payload: { slug, legalName: `${slug} University`, country: 'BE', legalIdentifiers: { eidas: `NTRBE-${slug}` }, ...extra },
      });
      if (res.statusCode !== 201) throw new Error(`create institution failed: ${res.statusCode} ${res.body}`);
      const body = res.json<{ slug: string; did: string; apiKey: string }>();
      return { ...body, auth: { authorization: `Bearer ${body.apiKey}` } };
    },
    async close() {
      await app.close();
      if (!opts.db) await db.close();
      await dropTestSchemas();
    },
  };
}

/**
 * Two app instances over ONE database, as replicas behind a load balancer are: on PostgreSQL two
 * pools (and change listeners) on one schema; on PGlite two apps sharing the embedded store's
 * single connection. Same key-encryption key, so either can sign with the institution's keys.
 */
export async function buildTwoInstances(kind: 'pglite' | 'postgres'): Promise<{ a: TestApp; b: TestApp; close(): Promise<void> }> {
  const dbA = await openTestDb(kind);
  const { rows } = await dbA.query<{ s: string }>('SELECT current_schema() AS s');
  const dbB = kind === 'postgres' ? await openDb({ databaseUrl: process.env.TEST_DATABASE_URL, schema: rows[0]!.s, poolMax: 20 }) : dbA;
  const kek = randomBytes(32);
  const a = await buildTestApp({ db: dbA, deps: { kek } });
  const b = await buildTestApp({ db: dbB, deps: { kek } });
  return {
    a,
    b,
    async close() {
      await a.app.close();
      await b.app.close();
      await dbA.close();
      if (dbB !== dbA) await dbB.close();
      await dropTestSchemas();
    },
  };
}
