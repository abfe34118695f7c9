import { AppError } from '../errors.js';

/** How a batch row waits out a saturated service. */
export interface UnavailableRetry {
  /** Attempts in all, the first included (default 6). */
  attempts?: number;
  /** Longest single wait in ms (default 5,000); a 503 error's retryAfterSeconds is honoured below it. */
  maxWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Run `fn`, and run it again while it fails with a service-unavailable error (503, e.g. OVERLOADED
 * from a saturated worker pool): such a refusal says nothing about the row, so failing the row for
 * it would turn a busy minute into failed learners. The last attempt's error is thrown as is.
 */
export async function retryWhileUnavailable<T>(fn: () => Promise<T>, opts: UnavailableRetry = {}): Promise<T> {
  const attempts = Math.max(1, opts.attempts ?? 6);
  const maxWaitMs = opts.maxWaitMs ?? 5_000;
  const sleep = opts.sleep ?? pause;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof AppError) || err.status !== 503 || attempt >= attempts) throw err;
      const hinted = (err as AppError & { retryAfterSeconds?: unknown }).retryAfterSeconds;
      const base = typeof hinted === 'number' && hinted > 0 ? hinted * 1000 : 250 * 2 ** (attempt - 1);
      await sleep(Math.min(maxWaitMs, base));
    }
  }
}
