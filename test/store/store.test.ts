import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeStores } from '../helpers/stores.js';
import { loadMigrations, migrate, openDb, splitSql, isUniqueViolation } from '../../src/store/index.js';

describeStores('store', (getDb, kind) => {
  it('compresses stored credentials with lz4 where the server has it (PostgreSQL), pglz otherwise (PGlite)', async () => {
    const { rows } = await getDb().query<{ attname: string; attcompression: string }>(
      "SELECT attname, attcompression::text FROM pg_attribute WHERE attrelid = 'credentials'::regclass AND attname IN ('document', 'jwt') ORDER BY attname",
    );
    // 'l' is lz4; '' is the server default (pglz). Debian's PostgreSQL is built with lz4, PGlite is not.
    expect(rows.map((r) => r.attcompression)).toEqual(kind === 'postgres' ? ['l', 'l'] : ['', '']);
  });

  it('applies every migration once and records it', async () => {
    const db = getDb();
    const { rows } = await db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows.map((r) => Number(r.version))).toEqual(loadMigrations().map((m) => m.version));
    expect(await migrate(db)).toEqual([]);
  });

  it('commits a transaction and rolls one back on throw', async () => {
    const db = getDb();
    await db.query('CREATE TABLE tx_probe (v integer PRIMARY KEY)');
    await db.transaction(async (tx) => {
      await tx.query('INSERT INTO tx_probe (v) VALUES (1)');
    });
    await expect(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO tx_probe (v) VALUES (2)');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const { rows } = await db.query<{ v: number }>('SELECT v FROM tx_probe ORDER BY v');
    expect(rows.map((r) => r.v)).toEqual([1]);
  });

  it('reports unique violations with SQLSTATE 23505', async () => {
    const db = getDb();
    await db.query('CREATE TABLE uq_probe (v integer PRIMARY KEY)');
    await db.query('INSERT INTO uq_probe VALUES (1)');
    const err = await db.query('INSERT INTO uq_probe VALUES (1)').catch((e: unknown) => e);
    expect(isUniqueViolation(err)).toBe(true);
  });

  it('keeps the audit log append-only', async () => {
    const db = getDb();
    await db.query("INSERT INTO audit_log (actor, action) VALUES ('admin', 'probe')");
    await expect(db.query("UPDATE audit_log SET action = 'x'")).rejects.toThrow(/append-only/);
    await expect(db.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
  });

  it('round-trips jsonb and timestamptz', async () => {
    const db = getDb();
    await db.query('CREATE TABLE j_probe (doc jsonb, at timestamptz)');
    await db.query('INSERT INTO j_probe VALUES ($1, $2)', [JSON.stringify({ a: [1, 'ü'] }), new Date('2026-01-02T03:04:05Z')]);
    const { rows } = await db.query<{ doc: unknown; at: Date }>('SELECT doc, at FROM j_probe');
    expect(rows[0]!.doc).toEqual({ a: [1, 'ü'] });
    expect(new Date(rows[0]!.at).toISOString()).toBe('2026-01-02T03:04:05.000Z');
  });
});

describe('embedded store on disk', () => {
  it('persists across reopen under DATA_DIR', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'microcred-store-'));
    try {
      const a = await openDb({ dataDir: dir });
      await a.query("INSERT INTO audit_log (actor, action) VALUES ('admin', 'persisted')");
      await a.close();
      const b = await openDb({ dataDir: dir });
      const { rows } = await b.query<{ action: string }>("SELECT action FROM audit_log WHERE action = 'persisted'");
      expect(rows).toHaveLength(1);
      await b.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('splitSql', () => {
  it('splits on semicolons outside strings, comments and dollar bodies', () => {
    const sql = "SELECT ';'; -- a; comment\nCREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql; SELECT \"a;b\"";
    expect(splitSql(sql)).toEqual(["SELECT ';'", 'CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql', 'SELECT "a;b"']);
  });
});
