/**
 * The bulk-issuance job runner: claims open rows in small chunks (lease + SKIP LOCKED), issues
 * each, and records the outcome in the same transaction as the credential, so a crash or
 * restart never issues a row twice and never skips one.
 */
import type { Db } from '../store/index.js';
import { claimRows, completeBatches, markRunning, releaseClaims, type ClaimedRow } from './batches-repo.js';

/** Minimal logger (pino-compatible). */
export interface RunnerLogger { error(obj: unknown, msg?: string): void }

/** Runner settings; time is injected so tests can expire leases. */
export interface BatchRunnerDeps {
  db: Db;
  /** Issues one claimed row and records its outcome while `worker` holds the claim. */
  processRow: (row: ClaimedRow, worker: string) => Promise<void>;
  now: () => Date;
  worker: string;
  /** Rows claimed per statement (default 20). */
  chunkSize?: number;
  /** Rows of a chunk issued at once (default 2: signing is CPU-bound, overlap hides store latency). */
  concurrency?: number;
  /** How long a claim is held before another runner may take the row over (default 5 min). */
  leaseMs?: number;
  /** Poll interval when idle, for batches queued by other app instances (default 1 s). */
  idleMs?: number;
  logger?: RunnerLogger;
}

/** A started/stopped job runner. */
export interface BatchRunner {
  /** Start the loop (idempotent); resumes whatever is open in the store. */
  start(): void;
  /** Stop claiming, let rows in flight finish, hand unstarted claims back. */
  stop(): Promise<void>;
  /** Wake the loop now (a batch was queued). */
  wake(): void;
  /** Claim and process one chunk; the number of rows claimed (0 = nothing to do). */
  runOnce(): Promise<number>;
  readonly running: boolean;
}

/** Creates the runner; nothing happens until start() or runOnce(). */
export function createBatchRunner(deps: BatchRunnerDeps): BatchRunner {
  const chunkSize = deps.chunkSize ?? 20;
  const concurrency = Math.max(1, deps.concurrency ?? 2);
  const leaseMs = deps.leaseMs ?? 5 * 60_000;
  const idleMs = deps.idleMs ?? 1000;
  let loop: Promise<void> | undefined;
  let stopping = false;
  let wakeUp: (() => void) | undefined;

  const sleep = () => new Promise<void>((resolve) => {
    const timer = setTimeout(done, idleMs);
    timer.unref?.();
    function done() {
      clearTimeout(timer);
      wakeUp = undefined;
      resolve();
    }
    wakeUp = done;
  });

  async function runOnce(): Promise<number> {
    const now = deps.now();
    const rows = await claimRows(deps.db, deps.worker, chunkSize, now, new Date(now.getTime() + leaseMs));
    if (rows.length === 0) return 0;
    const batchIds = [...new Set(rows.map((r) => r.batchId))];
    await markRunning(deps.db, batchIds, now);
    let next = 0;
    const lane = async () => {
      // Rows not started when a stop arrives stay claimed; stop() releases them.
      while (!stopping && next < rows.length) await deps.processRow(rows[next++]!, deps.worker);
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, rows.length) }, lane));
    await completeBatches(deps.db, batchIds, deps.now());
    return rows.length;
  }

  async function run(): Promise<void> {
    while (!stopping) {
      let claimed = 0;
      try {
        claimed = await runOnce();
      } catch (err) {
        // A store outage: back off; claimed rows come back when their lease runs out.
        deps.logger?.error({ err }, 'batch runner: chunk failed');
      }
      if (claimed === 0 && !stopping) await sleep();
    }
  }

  return {
    start() {
      if (loop) return;
      stopping = false;
      loop = run();
    },
    async stop() {
      stopping = true;
      wakeUp?.();
      await loop;
      loop = undefined;
      await releaseClaims(deps.db, deps.worker);
    },
    wake() {
      wakeUp?.();
    },
    runOnce,
    get running() {
      return loop !== undefined;
    },
  };
}
