import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { InternalError } from '../errors.js';
import type { ContextMap, DocumentLoader } from '../jsonld/index.js';
import { OverloadedError } from './overloaded.js';

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
  /** Tasks refused with OVERLOADED: the queue was full, or their deadline passed while they waited. */
  shed: number;
  /** Workers terminated and replaced because their task passed its deadline or its caller gave up. */
  replaced: number;
}

/** How a pool is sized and bounded. */
export interface CanonizePoolOptions {
  /** Worker threads (default: one per core). */
  size?: number;
  contexts: ContextMap;
  /** Tasks that may wait for a worker; a task beyond that fails at once with OVERLOADED (default: 32 per worker, at least 128). */
  maxQueue?: number;
  /** Deadline of a task that brings no `timeoutMs` of its own, in ms from submission (default: 5,000, the verifier's canonicalization budget). */
  taskTimeoutMs?: number;
  /** How long a worker whose task passed its deadline may take to finish by itself before it is replaced (default 250 ms). */
  retireGraceMs?: number;
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
  /** Epoch ms after which nobody waits for the result. */
  deadline: number;
  timer?: NodeJS.Timeout;
  unlisten?: () => void;
}

interface Slot {
  worker: Worker;
  task: Task | undefined;
  /** Terminated on purpose: its late messages and its exit are not a crash. */
  retired?: boolean;
}

const WORKER_URL = new URL('./canonize-worker.mjs', import.meta.url);

/** Default pool size: one worker per core. */
export function defaultPoolSize(): number {
  return availableParallelism();
}

/** Default task deadline (ms): the same budget the verifier gives one canonicalization. */
export const DEFAULT_TASK_TIMEOUT_MS = 5_000;

/** Default queue bound for a pool of `size` workers. */
export function defaultMaxQueue(size: number): number {
  return Math.max(128, 32 * size);
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
 * The queue is bounded (OVERLOADED beyond it) and every task has a deadline: one still queued
 * then is shed as OVERLOADED, one running is aborted and its worker replaced, since jsonld.js
 * cannot be interrupted inside a worker that keeps running.
 */
export function createCanonizePool(opts: CanonizePoolOptions): CanonizePool {
  const size = Math.max(1, opts.size ?? defaultPoolSize());
  const maxQueue = Math.max(1, opts.maxQueue ?? defaultMaxQueue(size));
  const taskTimeoutMs = opts.taskTimeoutMs ?? DEFAULT_TASK_TIMEOUT_MS;
  const retireGraceMs = opts.retireGraceMs ?? 250;
  const contexts = Object.fromEntries(opts.contexts);
  const slots: Slot[] = [];
  const queue: Task[] = [];
  const running = new Map<number, Slot>();
  let nextId = 0;
  let completed = 0;
  let failed = 0;
  let shed = 0;
  let replaced = 0;
  let closed = false;

  function settle(task: Task, fn: () => void): void {
    if (task.settled) return;
    task.settled = true;
    if (task.timer) clearTimeout(task.timer);
    task.unlisten?.();
    fn();
  }

  function spawn(): Slot {
    const worker = new Worker(WORKER_URL, { workerData: { contexts } });
    const slot: Slot = { worker, task: undefined };
    worker.unref();
    worker.on('message', (msg: { type: string; taskId: number; loadId?: number; url?: string; ok?: boolean; result?: unknown; error?: SerializedError }) => {
      if (slot.retired) return;
      const task = slot.task;
      if (msg.type === 'load') {
        void answerLoad(slot, task, msg.loadId!, msg.url!);
        return;
      }
      if (msg.type !== 'done' || !task || task.id !== msg.taskId) return;
      slot.task = undefined;
      running.delete(task.id);
      if (task.settled) {
        // Abandoned, and finished within its grace: the worker is kept and takes the next task.
        dispatch();
        return;
      }
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

  // Take a slot out of service; its worker is stopped and dispatch() starts another when needed.
  function retire(slot: Slot): void {
    slot.retired = true;
    const i = slots.indexOf(slot);
    if (i >= 0) slots.splice(i, 1);
    const task = slot.task;
    slot.task = undefined;
    if (task) running.delete(task.id);
    void slot.worker.terminate().catch(() => undefined);
  }

  function crashed(slot: Slot, err: unknown): void {
    if (slot.retired) return;
    const task = slot.task;
    retire(slot);
    if (task) {
      failed++;
      settle(task, () => task.reject(new InternalError('WORKER_FAILED', 'A canonicalization worker failed.', 500, { cause: err })));
    }
    dispatch();
  }

  // Nobody waits for the task any more (deadline passed, or the caller aborted). Queued, it
  // leaves the queue. Running, the caller is answered at once, and the worker gets a moment to
  // finish by itself (rdf-canonize stops at the same deadline and answers); one still busy after
  // that is stuck where no deadline reaches (jsonld.js expansion, a loader that never answers) and
  // is replaced, which frees the slot but costs a fresh worker its start-up.
  function abandon(task: Task, error: (wasRunning: boolean) => Error): void {
    if (task.settled) return;
    const slot = running.get(task.id);
    if (slot) {
      failed++;
      settle(task, () => task.reject(error(true)));
      const grace = setTimeout(() => {
        if (slot.retired || slot.task !== task) return;
        replaced++;
        retire(slot);
        dispatch();
      }, retireGraceMs);
      grace.unref();
      return;
    }
    const i = queue.indexOf(task);
    if (i >= 0) queue.splice(i, 1);
    settle(task, () => task.reject(error(false)));
  }

  const overloaded = (why: string) => {
    shed++;
    return new OverloadedError(`The canonicalization workers are saturated (${why}); retry shortly.`);
  };

  async function answerLoad(slot: Slot, task: Task | undefined, loadId: number, url: string): Promise<void> {
    try {
      if (!task?.loader) throw new Error(`No document loader for ${url}.`);
      const remote = await task.loader(url);
      if (slot.retired) return;
      slot.worker.postMessage({ type: 'loaded', loadId, ok: true, remote: { contextUrl: remote.contextUrl ?? null, documentUrl: remote.documentUrl, document: remote.document } });
    } catch (err) {
      if (task) task.loaderError = err;
      if (slot.retired) return;
      slot.worker.postMessage({ type: 'loaded', loadId, ok: false, message: (err as Error)?.message ?? String(err) });
    }
  }

  function dispatch(): void {
    while (queue.length > 0) {
      let slot = slots.find((s) => !s.task);
      if (!slot && slots.length < size && !closed) slot = spawn();
      if (!slot) return;
      const task = queue.shift()!;
      if (task.settled) continue;
      slot.task = task;
      slot.worker.ref();
      running.set(task.id, slot);
      // What is left of the deadline also bounds rdf-canonize inside the worker, which then
      // answers by itself and keeps its worker.
      const timeoutMs = Math.max(1, task.deadline - Date.now());
      slot.worker.postMessage({ type: task.type, taskId: task.id, input: task.input, options: { ...task.options, timeoutMs } });
    }
    // Idle workers must not keep a CLI or a test process alive.
    for (const s of slots) if (!s.task) s.worker.unref();
  }

  function run(type: Task['type'], input: unknown, options: CanonizeOptions): Promise<unknown> {
    if (closed) return Promise.reject(new InternalError('POOL_CLOSED', 'The canonicalization pool is closed.'));
    const { documentLoader, signal, timeoutMs, ...rest } = options;
    // Only plain data crosses the thread boundary; a signal becomes a deadline in the worker.
    const plain: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(rest)) if (typeof v !== 'function' && v !== undefined) plain[k] = v;
    const budget = typeof timeoutMs === 'number' && timeoutMs > 0 ? timeoutMs : taskTimeoutMs;
    return new Promise<unknown>((resolve, reject) => {
      if (signal?.aborted) return reject(abortError());
      // Back-pressure: the queue only grows while every worker is busy.
      if (queue.length >= maxQueue) return reject(overloaded(`${queue.length} tasks waiting`));
      const task: Task = { id: ++nextId, type, input, options: plain, loader: documentLoader, resolve, reject, settled: false, deadline: Date.now() + budget };
      // Still queued at the deadline means the service was too busy, not that the input was too big.
      const expired = (wasRunning: boolean): Error => (wasRunning ? abortError() : overloaded('deadline passed while queued'));
      task.timer = setTimeout(() => abandon(task, expired), budget);
      task.timer.unref();
      if (signal) {
        // A caller's own timeout behaves like the deadline; any other abort is just an abort.
        const onAbort = () => abandon(task, (wasRunning) => ((signal.reason as Error | undefined)?.name === 'TimeoutError' ? expired(wasRunning) : abortError()));
        signal.addEventListener('abort', onAbort, { once: true });
        task.unlisten = () => signal.removeEventListener('abort', onAbort);
      }
      queue.push(task);
      dispatch();
    });
  }

  return {
    canonize: (input, options = {}) => run('canonize', input, options) as Promise<string>,
    expand: (input, options = {}) => run('expand', input, options),
    stats() {
      return { size, started: slots.length, busy: running.size, queued: queue.length, completed, failed, shed, replaced };
    },
    async close(graceMs = 10_000) {
      // Requests still in flight at shutdown need the pool (often twice: document, then proof
      // options): wait until it has been idle for a moment, bounded by graceMs.
      const deadline = Date.now() + graceMs;
      let idleSince = Date.now();
      while (Date.now() < deadline) {
        if (running.size > 0 || queue.length > 0) idleSince = Date.now();
        else if (Date.now() - idleSince >= 50) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      closed = true;
      for (const t of queue.splice(0)) settle(t, () => t.reject(new InternalError('POOL_CLOSED', 'The canonicalization pool is closed.')));
      for (const [, slot] of running) {
        const t = slot.task;
        if (t) settle(t, () => t.reject(new InternalError('POOL_CLOSED', 'The canonicalization pool is closed.')));
      }
      running.clear();
      await Promise.all(slots.splice(0).map((s) => s.worker.terminate()));
    },
  };
}
