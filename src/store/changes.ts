/**
 * Changes to what verification reads on every request, announced by the store's triggers
 * (migration 0012) through PostgreSQL LISTEN/NOTIFY, and the in-memory caches they keep exact.
 *
 * A cache serves only while its process is sure to hear of every change: PostgreSQL delivers a
 * notification at commit to every listening session, in commit order. Each process listens on
 * one connection of its own, which decides `live`; the pool's connections listen too, so a
 * write made by this process has reached its caches when the write returns (a session hears
 * its own notifications before its COMMIT completes). When the listening connection drops,
 * caches are emptied and bypassed until it is back; changes made meanwhile are never missed.
 * The listening connection also proves at intervals that notifications still reach it (see
 * postgres.ts), so a connection that went silently deaf counts as dropped.
 */
import { LRUCache } from 'lru-cache';

/** What a trigger announced: a topic and, for some, the key that changed (null: anything under the topic). */
export interface Change {
  topic: string;
  key: string | null;
}

/** The changes committed to the store, as this process hears them. */
export interface ChangeFeed {
  /** True while every committed change reaches this process; caches serve only then. */
  readonly live: boolean;
  /** `fn` gets each change, and null when changes may have been missed (the feed stopped or started): forget everything. */
  subscribe(fn: (change: Change | null) => void): () => void;
}

/** The notification channel of the tables in `schema` (what the triggers notify on). */
export const changeChannel = (schema: string): string => `microcred:${schema}`;

/** The channel as an SQL identifier, for LISTEN (it holds a colon). */
export const quotedChannel = (schema: string): string => `"${changeChannel(schema).replaceAll('"', '""')}"`;

/** Payloads of the listening connection's own liveness probes (never a change). */
export const PROBE_PREFIX = 'probe:';

/** A payload as the triggers write it: 'topic' or 'topic:key' (the key may itself hold colons). */
export function parseChange(payload: string): Change {
  const colon = payload.indexOf(':');
  return colon === -1 ? { topic: payload, key: null } : { topic: payload.slice(0, colon), key: payload.slice(colon + 1) };
}

/** The feed's fan-out, driven by a store's listening connection(s). */
export class ChangeHub implements ChangeFeed {
  private readonly subscribers = new Set<(change: Change | null) => void>();
  private isLive = false;

  get live(): boolean {
    return this.isLive;
  }

  subscribe(fn: (change: Change | null) => void): () => void {
    this.subscribers.add(fn);
    return () => this.subscribers.delete(fn);
  }

  /** A notification payload arrived. */
  deliver(payload: string): void {
    if (!payload.startsWith(PROBE_PREFIX)) this.emit(parseChange(payload));
  }

  /** The listening connection came up (true) or went down (false); either way, what is cached may be stale. */
  setLive(live: boolean): void {
    this.isLive = live;
    this.emit(null);
  }

  private emit(change: Change | null): void {
    for (const fn of this.subscribers) fn(change);
  }
}

/** A feed that never goes live: caches over it always read through. */
export const NO_CHANGE_FEED: ChangeFeed = { live: false, subscribe: () => () => undefined };

export interface ChangeCacheOptions<V> {
  /** The topic whose changes invalidate this cache. */
  topic: string;
  max?: number;
  /** A bound on any entry's age, whatever the feed says. */
  ttlMs?: number;
  /** Whether a loaded value may be kept (e.g. not a "not found" that a later insert would change unannounced). */
  keep?: (value: V) => boolean;
}

/** Lookups since start: served from memory, loaded, or read through while the feed was not live. */
export interface CacheStats {
  hits: number;
  misses: number;
  bypassed: number;
  size: number;
}

/** Values by key, loaded on a miss, dropped on every change of their topic. Values are deep-frozen. */
export interface ChangeCache<V> {
  get(key: string, load: () => Promise<V>): Promise<V>;
  stats(): CacheStats;
}

/** Freeze a loaded value and everything in it: a caller that modifies a shared cached value fails at once. */
function deepFreeze<V>(value: V): V {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value) && !ArrayBuffer.isView(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export function createChangeCache<V>(feed: ChangeFeed, opts: ChangeCacheOptions<V>): ChangeCache<V> {
  const entries = new LRUCache<string, { value: V }>({ max: opts.max ?? 1000, ttl: opts.ttlMs ?? 10 * 60_000 });
  // Concurrent misses of a key share one load.
  const loading = new Map<string, { generation: number; value: Promise<V> }>();
  // Bumped by every change of the topic: a load that began before a change may have read the
  // old row, and is returned to its callers but not kept.
  let generation = 0;
  const counts = { hits: 0, misses: 0, bypassed: 0 };
  feed.subscribe((change) => {
    if (change !== null && change.topic !== opts.topic) return;
    generation++;
    if (change === null || change.key === null) entries.clear();
    else entries.delete(change.key);
  });

  return {
    async get(key, load) {
      if (!feed.live) {
        counts.bypassed++;
        return deepFreeze(await load());
      }
      const hit = entries.get(key);
      if (hit) {
        counts.hits++;
        return hit.value;
      }
      counts.misses++;
      const pending = loading.get(key);
      if (pending && pending.generation === generation) return pending.value;
      const started = generation;
      const value = load().then(deepFreeze);
      loading.set(key, { generation: started, value });
      try {
        const v = await value;
        if (generation === started && feed.live && (opts.keep?.(v) ?? true)) entries.set(key, { value: v });
        return v;
      } finally {
        if (loading.get(key)?.value === value) loading.delete(key);
      }
    },
    stats: () => ({ ...counts, size: entries.size }),
  };
}
