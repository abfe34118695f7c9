import { randomInt as cryptoRandomInt } from 'node:crypto';
import type { Queryable } from '../store/index.js';
import { firstFreeCandidate, freeRanges, markFull, openList, reserveFirstFree, reserveIndex } from './repo.js';
import { StatusError } from './errors.js';
import type { ReservedEntry, StatusList, StatusPurpose } from './types.js';

/** What the allocator needs; randomness and time are injected. */
export interface AllocatorDeps {
  /** The store itself, not a transaction: each step is its own short statement (PGlite has one connection). */
  db: Queryable;
  /** Capacity of new lists (production: STATUS_LIST_SIZE). */
  listSize: number;
  /** Uniform integer in [0, max). */
  randomInt?: (max: number) => number;
  now: () => Date;
  /** Random draws per batch before falling back to a scan of free ranges (default 256). */
  probes?: number;
  /**
   * Open lists remembered per institution and purpose, so a reservation usually costs one
   * statement. An entry is dropped whenever its list gives no index at first try, so a list
   * filled or closed meanwhile (here or by another replica) is re-read at once.
   */
  openLists?: Map<string, StatusList>;
  /**
   * Indexes reserved by one statement and handed out from memory (default 1: a statement per
   * credential). Each is still a uniform draw over the list's free indexes and reserved in the
   * database before use, so replicas never collide; a process that stops leaves the rest of its
   * block reserved and never used, as a crash between reservation and insert does.
   */
  reserveAhead?: number;
  /** Reserved-ahead indexes waiting per institution and purpose (needed with reserveAhead > 1). */
  reserved?: Map<string, ReservedBlock>;
}

/** Indexes of one list reserved ahead, and the refill under way when they ran out. */
export interface ReservedBlock {
  listId: string;
  indexes: number[];
  refill?: Promise<void>;
}

const MAX_ROUNDS = 64;

/** Key of the open-list cache and of the reserved blocks: one per institution and purpose. */
const listKey = (institutionId: string, purpose: StatusPurpose): string => `${institutionId}\u0000${purpose}`;

/** Map the k-th free position (0-based) onto the free ranges. */
function pick(ranges: Array<[number, number]>, k: number): number {
  let rest = k;
  for (const [lo, hi] of ranges) {
    const n = hi - lo + 1;
    if (rest < n) return lo + rest;
    rest -= n;
  }
  throw new RangeError('position beyond the free ranges');
}

/**
 * Reserve a random unused index in the institution's open list for a purpose, opening a new
 * list when the current one is full. With `reserveAhead` > 1 a block is reserved at once and
 * handed out one by one; concurrent callers wait for one refill instead of each starting one.
 */
export async function allocateEntry(deps: AllocatorDeps, institutionId: string, purpose: StatusPurpose): Promise<ReservedEntry> {
  const ahead = deps.reserveAhead ?? 1;
  const blocks = deps.reserved;
  if (ahead <= 1 || !blocks) {
    const { listId, indexes } = await reserve(deps, institutionId, purpose, 1);
    return { listId, index: indexes[0]!, purpose };
  }
  const key = listKey(institutionId, purpose);
  for (;;) {
    const block = blocks.get(key);
    const index = block?.indexes.pop();
    if (block && index !== undefined) return { listId: block.listId, index, purpose };
    if (block?.refill) {
      await block.refill;
      continue;
    }
    const next: ReservedBlock = { listId: '', indexes: [] };
    next.refill = reserve(deps, institutionId, purpose, ahead)
      .then((got) => Object.assign(next, got))
      .finally(() => delete next.refill)
      .then(() => undefined);
    blocks.set(key, next);
    await next.refill;
  }
}

/**
 * Reserve up to `count` (at least one) random unused indexes of one list. Fast path: one
 * statement probes a batch of random indexes and reserves the first free ones (each uniform
 * over the free set, since the draws are i.i.d. uniform). At 99% fill a batch of 256 misses
 * only ~7.6% of the time; then one pass over the list's primary-key index lists the free
 * ranges and a uniform draw over them decides. A reservation is an INSERT … ON CONFLICT DO
 * NOTHING, so two allocators can never hold the same index; a lost race just draws again.
 */
async function reserve(deps: AllocatorDeps, institutionId: string, purpose: StatusPurpose, count: number): Promise<{ listId: string; indexes: number[] }> {
  const rand = deps.randomInt ?? ((max: number) => cryptoRandomInt(max));
  const probes = Math.max(deps.probes ?? 256, count);
  const cacheKey = listKey(institutionId, purpose);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const now = deps.now();
    let list = deps.openLists?.get(cacheKey);
    if (!list) {
      list = await openList(deps.db, institutionId, purpose, deps.listSize, now);
      deps.openLists?.set(cacheKey, list);
    }
    const candidates = Array.from({ length: Math.min(probes, list.size * 4) }, () => rand(list.size));
    const reserved = await reserveFirstFree(deps.db, list.id, candidates, now, count);
    if (reserved.length > 0) return { listId: list.id, indexes: reserved };
    // Nothing reserved: the list may be full or closed, or a candidate was just taken. Look closer.
    deps.openLists?.delete(cacheKey);
    const hit = await firstFreeCandidate(deps.db, list.id, candidates);
    if (hit !== undefined) {
      if (await reserveIndex(deps.db, list.id, hit, now)) return { listId: list.id, indexes: [hit] };
      continue;
    }
    const ranges = await freeRanges(deps.db, list.id, list.size);
    const free = ranges.reduce((n, [lo, hi]) => n + hi - lo + 1, 0);
    if (free === 0) {
      await markFull(deps.db, list.id);
      continue;
    }
    const index = pick(ranges, rand(free));
    if (await reserveIndex(deps.db, list.id, index, now)) return { listId: list.id, indexes: [index] };
  }
  throw new StatusError('STATUS_ENTRY_CONFLICT', 'No status list index could be reserved.');
}
