import { describe, expect, it } from 'vitest';
import { retryWhileUnavailable } from '../../src/microcredentials/retry.js';
import { BadRequestError } from '../../src/errors.js';
import { OverloadedError } from '../../src/workers/index.js';

describe('retryWhileUnavailable', () => {
  it('runs again while the service is saturated, waiting as the error asks', async () => {
    const waits: number[] = [];
    let calls = 0;
    const result = await retryWhileUnavailable(async () => {
      if (++calls < 3) throw new OverloadedError('busy', undefined, 2);
      return 'signed';
    }, { sleep: async (ms) => void waits.push(ms) });
    expect(result).toBe('signed');
    expect(calls).toBe(3);
    expect(waits).toEqual([2000, 2000]);
  });

  it('gives up after its attempts with the last refusal, and never retries the input\'s own errors', async () => {
    let calls = 0;
    const busy = retryWhileUnavailable(async () => {
      calls++;
      throw new OverloadedError('busy', undefined, 0);
    }, { attempts: 4, sleep: async () => undefined });
    await expect(busy).rejects.toMatchObject({ code: 'OVERLOADED' });
    expect(calls).toBe(4);
    calls = 0;
    await expect(retryWhileUnavailable(async () => {
      calls++;
      throw new BadRequestError('MALFORMED_CREDENTIAL', 'bad row');
    }, { sleep: async () => undefined })).rejects.toMatchObject({ code: 'MALFORMED_CREDENTIAL' });
    expect(calls).toBe(1);
  });

  it('backs off exponentially without a hint, capped', async () => {
    const waits: number[] = [];
    await expect(retryWhileUnavailable(async () => {
      throw new OverloadedError('busy', undefined, 0);
    }, { attempts: 6, maxWaitMs: 1_000, sleep: async (ms) => void waits.push(ms) })).rejects.toThrow();
    expect(waits).toEqual([250, 500, 1000, 1000, 1000]);
  });
});
