import type { ChangeFeed } from './changes.js';

/** Result of one SQL statement. */
export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}

/** How one statement is run. */
export interface QueryOptions {
  /**
   * false: planned for its parameters at every execution instead of prepared once per connection.
   * For statements that join a parameter array against a table that grows without bound: the
   * plan PostgreSQL settles on while the table is small (a hash join over a sequential scan)
   * stays cached until the table's statistics change, and without autovacuum they never do.
   */
  prepared?: boolean;
}

/** Anything that runs SQL: the database itself or an open transaction. */
export interface Queryable {
  /** Run one parameterised statement ($1, $2, …). */
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[], opts?: QueryOptions): Promise<QueryResult<R>>;
}

/** The store: embedded PGlite or PostgreSQL behind one interface. */
export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Changes committed to the tables verification reads (see changes.ts). */
  readonly changes: ChangeFeed;
  /** Run fn in one transaction (READ COMMITTED); commit on success, roll back on throw. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Liveness probe for /readyz. */
  ping(): Promise<void>;
  /** Close pools / the embedded database. */
  close(): Promise<void>;
}
