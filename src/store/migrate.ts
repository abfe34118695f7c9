import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Db } from './types.js';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));
// Arbitrary constant so that replicas starting together apply migrations one at a time.
const MIGRATION_LOCK_KEY = 720_431_998;

/** One versioned SQL migration file: NNNN_name.sql. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Read the bundled migrations in version order. */
export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const files = readdirSync(dir).filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f));
  const migrations = files.map((f) => ({
    version: Number(f.slice(0, 4)),
    name: f.slice(5, -4),
    sql: readFileSync(`${dir}${f}`, 'utf8'),
  }));
  migrations.sort((a, b) => a.version - b.version);
  for (let i = 1; i < migrations.length; i++) {
    if (migrations[i]!.version === migrations[i - 1]!.version) {
      throw new Error(`two migrations share version ${migrations[i]!.version}`);
    }
  }
  return migrations;
}

/** Apply every migration not yet applied, each in its own transaction; returns the versions applied. */
export async function migrate(db: Db, migrations = loadMigrations()): Promise<number[]> {
  const applied: number[] = [];
  await db.transaction(async (tx) => {
    // Transaction-scoped advisory lock: serialises concurrent start-ups of several replicas.
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await tx.query<{ version: number }>('SELECT version FROM schema_migrations');
    const done = new Set(rows.map((r) => Number(r.version)));
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      // Statements of one file run in this transaction: a failing migration leaves nothing behind.
      for (const statement of splitSql(m.sql)) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied.push(m.version);
    }
  });
  return applied;
}

/** Split a migration file into statements on semicolons outside quotes, comments and $$ bodies. */
export function splitSql(sql: string): string[] {
  const out: string[] = [];
  let cur = '';
  let i = 0;
  let mode: 'code' | 'single' | 'double' | 'line' | 'block' | 'dollar' = 'code';
  let dollarTag = '';
  while (i < sql.length) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (mode === 'code') {
      if (c === "'") mode = 'single';
      else if (c === '"') mode = 'double';
      else if (c === '-' && next === '-') mode = 'line';
      else if (c === '/' && next === '*') mode = 'block';
      else if (c === '$') {
        const m = /^\$[A-Za-z_]*\$/.exec(sql.slice(i));
        if (m) {
          mode = 'dollar';
          dollarTag = m[0];
          cur += dollarTag;
          i += dollarTag.length;
          continue;
        }
      } else if (c === ';') {
        if (cur.trim()) out.push(cur.trim());
        cur = '';
        i++;
        continue;
      }
    } else if (mode === 'single' && c === "'") mode = 'code';
    else if (mode === 'double' && c === '"') mode = 'code';
    else if (mode === 'line' && c === '\n') mode = 'code';
    else if (mode === 'block' && c === '*' && next === '/') {
      cur += '*/';
      i += 2;
      mode = 'code';
      continue;
    } else if (mode === 'dollar' && sql.startsWith(dollarTag, i)) {
      cur += dollarTag;
      i += dollarTag.length;
      mode = 'code';
      continue;
    }
    if (mode !== 'line') cur += c;
    i++;
  }
  if (cur.trim()) out.push(cur.trim());
  return out.filter((s) => !/^\s*$/.test(s));
}
