/** Receiving a batch: stream CSV (or take JSON rows), store rows in chunks, queue the job. */
import { createHash, type Hash } from 'node:crypto';
import { Transform, Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import type { Actor } from '../audit/index.js';
import { AppError } from '../errors.js';
import type { Db, Queryable } from '../store/index.js';
import { deleteBatch, insertBatch, insertRows, queueBatch, type NewRow } from './batches-repo.js';
import { checkCsvHeader, compactRecord } from './csv-rows.js';
import { BatchTooLargeError, csvInvalid } from './errors.js';
import { utf8Check } from './utf8-check.js';
import type { IssueOptions } from './issue-request.js';

/** Rows written per INSERT while receiving. */
const INSERT_CHUNK = 500;

/** A batch about to be received. */
export interface BatchHeader {
  id: string; institutionId: string; templateId: string | null; template: Record<string, unknown> | null; options: IssueOptions; actor: Actor;
}

/** Runs in the transaction that queues a received batch (e.g. to record its Idempotency-Key); throwing undoes the batch. */
export type OnQueued = (tx: Queryable, total: number) => Promise<void>;

/** Stores rows from an async source in chunks; on any error the partial batch is removed. */
async function receive(db: Db, header: BatchHeader, now: () => Date, feed: (add: (row: NewRow) => Promise<void>) => Promise<void>, onQueued?: OnQueued): Promise<number> {
  await insertBatch(db, { ...header, at: now() });
  let chunk: NewRow[] = [];
  let total = 0;
  const flush = async () => {
    const rows = chunk;
    chunk = [];
    await insertRows(db, header.id, rows, now());
  };
  try {
    await feed(async (row) => {
      chunk.push(row);
      total++;
      if (chunk.length >= INSERT_CHUNK) await flush();
    });
    await flush();
    if (total === 0) throw new AppError('BATCH_EMPTY', 'The batch has no rows.', 400);
    if (onQueued) {
      await db.transaction(async (tx) => {
        await queueBatch(tx, header.id, total, now());
        await onQueued(tx, total);
      });
    } else await queueBatch(db, header.id, total, now());
    return total;
  } catch (err) {
    await deleteBatch(db, header.id);
    throw err;
  }
}

/** Counts bytes and stops the upload past the limit. */
function byteLimit(limit: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      seen += chunk.length;
      if (seen > limit) cb(new BatchTooLargeError(limit));
      else cb(null, chunk);
    },
  });
}

/**
 * Streams a CSV body into the batch (header line first, see CSV_COLUMNS). Row N is the N-th data
 * record: blank lines are skipped and a quoted cell may span lines. The bytes must be UTF-8.
 * Memory stays flat: at most one insert chunk is held.
 */
export async function receiveCsv(db: Db, header: BatchHeader, source: Readable, opts: { now: () => Date; maxBytes: number; hash?: Hash; onQueued?: OnQueued }): Promise<number> {
  return receive(db, header, opts.now, async (add) => {
    let rowNumber = 0;
    const parser = parse({ bom: true, columns: (h: string[]) => checkCsvHeader(h), skip_empty_lines: true, trim: true, max_record_size: 64 * 1024 });
    try {
      await pipeline(source, byteLimit(opts.maxBytes), hashing(opts.hash), utf8Check(), parser, async (records: AsyncIterable<Record<string, string>>) => {
        for await (const rec of records) {
          rowNumber++;
          const input = compactRecord(rec);
          await add({ rowNumber, rowKey: input['row_key'] ?? null, input: { csv: input } });
        }
      });
    } catch (err) {
      if (err instanceof AppError) throw err;
      // csv-parse errors carry the line; the header callback's AppError arrives as `cause` in some versions.
      const cause = (err as { cause?: unknown }).cause;
      if (cause instanceof AppError) throw cause;
      // The parser reads ahead of the consumer: its own record count names the failing row, not ours.
      const e = err as { message?: string; code?: string; lines?: number; records?: number; header?: boolean };
      const row = typeof e.records === 'number' && e.header !== true ? e.records + 1 : undefined;
      const where = row !== undefined ? `data row ${row}${e.lines ? ` (line ${e.lines})` : ''}` : e.lines ? `line ${e.lines}` : 'its start';
      throw csvInvalid(`The CSV could not be read at ${where}: ${e.message ?? String(err)}`, {
        ...(row !== undefined ? { row } : {}), ...(e.lines ? { line: e.lines } : {}), ...(e.code ? { parserCode: e.code } : {}),
      });
    }
  }, opts.onQueued);
}

/** Feeds the raw bytes to `hash` on their way through (a pass-through when there is none). */
function hashing(hash: Hash | undefined): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash?.update(chunk);
      cb(null, chunk);
    },
  });
}

/** SHA-256 of a whole CSV body, read through the same byte limit but not parsed or stored. */
export async function digestCsv(source: Readable, maxBytes: number): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(source, byteLimit(maxBytes), new Writable({ write(chunk: Buffer, _enc, cb) { hash.update(chunk); cb(); } }));
  return hash.digest('hex');
}

/** Stores JSON rows (each: request fields, optional rowKey) as a batch. */
export async function receiveJsonRows(db: Db, header: BatchHeader, rows: readonly Record<string, unknown>[], opts: { now: () => Date; onQueued?: OnQueued }): Promise<number> {
  return receive(db, header, opts.now, async (add) => {
    let rowNumber = 0;
    for (const row of rows) {
      rowNumber++;
      const { rowKey, ...fields } = row;
      await add({ rowNumber, rowKey: typeof rowKey === 'string' && rowKey !== '' ? rowKey : null, input: { fields } });
    }
  }, opts.onQueued);
}
