import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { InternalError } from '../errors.js';
import type { ContextMap, DocumentLoader } from '../jsonld/index.js';

/** Options the Digital Bazaar cryptosuites pass to `canonize` (functions stay in this thread). */
export type CanonizeOptions = Record<string, unknown> & { documentLoader?: DocumentLoader; signal?: AbortSignal; timeoutMs?: number };

/** Counters of a pool, for /metrics. */
export interface PoolStats {
  size: number;
  started: number;
  busy: number;
  queued: number;
  completed: number;
  failed: number;
}

/** A pool of worker threads producing RDFC-1.0 canonical N-Quads. */
export interface CanonizePool {
  /** Canonical N-Quads of `input`, computed like the cryptosuites' own canonize(). */
  canonize(input: unknown, options?: CanonizeOptions): Promise<string>;
  /** jsonld.expand() of `input` (safe mode unless told otherwise); `discard: true` resolves null. */
  expand(input: unknown, options?: CanonizeOptions & { discard?: boolean }): Promise<unknown>;
  stats(): PoolStats;
  /** Finish the work in flight (idle for 50 ms, at most graceMs), then stop the workers. */
  close(graceMs?: number): Promise<void>;
}

interface SerializedError {
  name: string;
  message: string;
  details?: Record<string, unknown>;
  cause?: SerializedError;
  forwarded?: boolean;
}

interface Task {
  id: number;
  type: 'canonize' | 'expand';
  input: unknown;
  options: Record<string, unknown>;
  loader: DocumentLoader | undefined;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  loaderError?: unknown;
  settled: boolean;
}

interface Slot {
  worker: Worker;
  task: Task | undefined;
}

const WORKER_URL = new URL('./canonize-worker.mjs', import.meta.url);

/** Default pool size: one worker per core. */
export function defaultPoolSize(): number {
  return availableParallelism();
}

function abortError(): Error {
  const err = new Error('Abort signal received.');
  err.name = 'AbortError';
  return err;
}

// Rebuild an error thrown in the worker so mapJsonLdError / isCanonicalizationLimit see the
// same name, message and details as on the in-process path; a loader refusal travels as the
// original AppError in details.cause, exactly where jsonld.js puts it.
function revive(e: SerializedError, loaderError: unknown): unknown {
  if (e.forwarded && loaderError !== undefined) return loaderError;
  const err = new Error(e.message) as Error & { details?: Record<string, unknown> };
  err.name = e.name;
  if (e.details) {
    const details: Record<string, unknown> = { ...e.details };
    if (details.cause) details.cause = revive(details.cause as SerializedError, loaderError);
    err.details = details;
  }
  if (e.cause) (err as { cause?: unknown }).cause = revive(e.cause, loaderError);
  return err;
}

/**
 * Start a pool of `size` worker threads (lazily, on first use). Bundled contexts are copied
 * into each worker once; any other URL is loaded by the calling task's own documentLoader.
 */
export function createCanonizePool(opts: { size?: number; contexts: ContextMap }): CanonizePool {
  const size = Math.max(1, opts.size ?? defaultPoolSize());
  const contexts = Object.fromEntries(opts.contexts);
  const slots: Slot[] = [];
  const queue: Task[] = [];
  const running = new Map<number, Slot>();
  let nextId = 0;
  let completed = 0;
  let failed = 0;
  let closed = false;

  function settle(task: Task, fn: () => void): void {
    if (task.settled) return;
    task.settled = true;
    fn();
  }

  function spawn(): Slot {
    const worker = new Worker(WORKER_URL, { workerData: { contexts } });
    const slot: Slot = { worker, task: undefined };
    worker.unref();
    worker.on('message', (msg: { type: string; taskId: number; loadId?: number; url?: string; ok?: boolean; result?: unknown; error?: SerializedError }) => {
      const task = slot.task;
      if (msg.type === 'load') {
        void answerLoad(slot, task, msg.loadId!, msg.url!);
        return;
      }
      if (msg.type !== 'done' || !task || task.id !== msg.taskId) return;
      slot.task = undefined;
      running.delete(task.id);
      if (msg.ok) {
        completed++;
        settle(task, () => task.resolve(msg.result));
      } else {
        failed++;
        settle(task, () => task.reject(revive(msg.error!, task.loaderError)));
      }
      dispatch();
    });
    worker.on('error', (err) => crashed(slot, err));
    worker.on('exit', (code) => {
      if (!closed && code !== 0) crashed(slot, new Error(`canonize worker exited with code ${code}`));
    });
    slots.push(slot);
    return slot;
  }

  function crashed(slot: Slot, err: unknown): void {
    const i = slots.indexOf(slot);
    if (i >= 0) slots.splice(i, 1);
    const task = slot.task;
    slot.task = undefined;
    if (task) {
      running.delete(task.id);
      failed++;
      settle(task, () => task.reject(new InternalError('WORKER_FAILED', 'A canonicalization worker failed.', 500, { cause: err })));
    }
    void slot.worker.terminate().catch(() => undefined);
    dispatch();
  }

  async function answerLoad(slot: Slot, task: Task | undefined, loadId: number, url: string): Promise<void> {
    try {
      if (!task?.loader) throw new Error(`No document loader for ${url}.`);
      const remote = await task.loader(url);
      slot.worker.postMessage({ type: 'loaded', loadId, ok: true, remote: { contextUrl: remote.contextUrl ?? null, documentUrl: remote.documentUrl, document: remote.document } });
    } catch (err) {
      if (task) task.loaderError = err;
      slot.worker.postMessage({ type: 'loaded', loadId, ok: false, message: (err as Error)?.message ?? String(err) });
    }
  }

  function dispatch(): void {
    while (queue.length > 0) {
      let slot = slots.find((s) => !s.task);
      if (!slot && slots.length < size) slot = spawn();
      if (!slot) return;
      const task = queue.shift()!;
      if (task.settled) continue;
      slot.task = task;
      slot.worker.ref();
      running.set(task.id, slot);
      slot.worker.postMessage({ type: task.type, taskId: task.id, input: task.input, options: task.options });
    }
    // Idle workers must not keep a CLI or a test process alive.
    for (const s of slots) if (!s.task) s.worker.unref();
  }

  function run(type: Task['type'], input: unknown, options: CanonizeOptions): Promise<unknown> {
    if (closed) return Promise.reject(new InternalError('POOL_CLOSED', 'The canonicalization pool is closed.'));
    const { documentLoader, signal, ...rest } = options;
    // Only plain data crosses the thread boundary; a signal becomes a deadline in the worker.
    const plain: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(rest)) if (typeof v !== 'function' && v !== undefined) plain[k] = v;
    return new Promise<unknown>((resolve, reject) => {
      const task: Task = { id: ++nextId, type, input, options: plain, loader: documentLoader, resolve, reject, settled: false };
      if (signal) {
        if (signal.aborted) return reject(abortError());
        signal.addEventListener('abort', () => settle(task, () => reject(abortError())), { once: true });
      }
      queue.push(task);
      dispatch();
    });
  }

  return {
    canonize: (input, options = {}) => run('canonize', input, options) as Promise<string>,
    expand: (input, options = {}) => run('expand', input, options),
    stats() {
      return { size, started: slots.length, busy: running.size, queued: queue.filter((t) => !t.settled).length, completed, failed };
    },
    async close(graceMs = 10_000) {
      // Requests still in flight at shutdown need the pool (often twice: document, then proof
      // options): wait until it has been idle for a moment, bounded by graceMs.
      const deadline = Date.now() + graceMs;
      let idleSince = Date.now();
      while (Date.now() < deadline) {
        if (running.size > 0 || queue.some((t) => !t.settled)) idleSince = Date.now();
        else if (Date.now() - idleSince >= 50) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      closed = true;
      for (const t of queue.splice(0)) settle(t, () => t.reject(new InternalError('POOL_CLOSED', 'The canonicalization pool is closed.')));
      await Promise.all(slots.splice(0).map((s) => s.worker.terminate()));
    },
  };
}
