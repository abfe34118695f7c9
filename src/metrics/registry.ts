import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { PoolStats } from '../workers/index.js';

/** Where the gauges read their values at scrape time. */
export interface MetricsSources {
  /** Worker-pool counters, when a pool runs. */
  pool?: () => PoolStats | undefined;
  /** JSON-LD documents the fast path answered and those it left to jsonld.js. */
  jsonld?: () => { answered: number; leftToJsonld: number } | undefined;
  /** PostgreSQL pool usage (the pg Db's poolStats); undefined on the embedded store. */
  dbPool?: () => { total: number; idle: number; waiting: number } | undefined;
  /** Lookups of the caches verification reads through, by cache. */
  caches?: () => Record<string, { hits: number; misses: number; bypassed: number; size: number }>;
  /** Whether this process hears the store's change announcements (its caches serve only then). */
  changeFeedLive?: () => boolean;
}

/** The service's Prometheus metrics: one registry per app (no global state). */
export interface Metrics {
  registry: Registry;
  /** Record one finished HTTP request. */
  request(route: string, method: string, status: number, seconds: number): void;
  /** Record an issuance attempt by mechanism and outcome (`issued` or an error code). */
  issuance(mechanism: string, outcome: string): void;
  /** Record a verification by mechanism and verdict (`valid`, `invalid`, `indeterminate`, `malformed`). */
  verification(mechanism: string, outcome: string): void;
}

/** Create the registry with process metrics, HTTP, issuing/verifying counters, pool and DB gauges. */
export function createMetrics(sources: MetricsSources = {}): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'microcred_' });
  const requests = new Counter({ name: 'microcred_http_requests_total', help: 'HTTP requests by route template, method and status code.', labelNames: ['route', 'method', 'status'], registers: [registry] });
  const latency = new Histogram({
    name: 'microcred_http_request_duration_seconds', help: 'HTTP request latency by route template and method.', labelNames: ['route', 'method'],
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [registry],
  });
  const issued = new Counter({ name: 'microcred_issuance_total', help: 'Credential issuance attempts by mechanism and outcome (issued, or the error code).', labelNames: ['mechanism', 'outcome'], registers: [registry] });
  const verified = new Counter({ name: 'microcred_verification_total', help: 'Credential/presentation verifications by mechanism and verdict.', labelNames: ['mechanism', 'outcome'], registers: [registry] });
  // Several processes (PROCESSES > 1) report as one service: their values are summed, unless a
  // gauge says otherwise (prom-client's aggregator, applied by the cluster primary).
  const poolGauge = (name: string, help: string, pick: (s: PoolStats) => number) =>
    new Gauge({
      name, help, registers: [registry], aggregator: 'sum',
      collect() {
        const s = sources.pool?.();
        this.set(s ? pick(s) : 0);
      },
    });
  poolGauge('microcred_worker_pool_size', 'Configured canonicalization worker threads, all service processes together (0: none).', (s) => s.size);
  poolGauge('microcred_worker_pool_busy', 'Worker threads currently canonicalizing.', (s) => s.busy);
  poolGauge('microcred_worker_pool_queue_depth', 'Canonicalization tasks waiting for a worker.', (s) => s.queued);
  poolGauge('microcred_worker_pool_tasks_completed', 'Canonicalization tasks completed since start.', (s) => s.completed);
  poolGauge('microcred_worker_pool_tasks_failed', 'Canonicalization tasks failed since start (including invalid input and tasks past their deadline).', (s) => s.failed);
  poolGauge('microcred_worker_pool_tasks_shed', 'Canonicalization tasks refused with OVERLOADED since start (queue full, or deadline passed while queued).', (s) => s.shed);
  poolGauge('microcred_worker_pool_workers_replaced', 'Worker threads terminated and replaced since start because their task passed its deadline or was abandoned.', (s) => s.replaced);
  new Gauge({
    name: 'microcred_jsonld_documents', help: 'JSON-LD documents canonicalized or expanded since start, by path: fast (in-thread) or jsonld (the stock library, on the worker pool when there is one).', labelNames: ['path'], registers: [registry], aggregator: 'sum',
    collect() {
      const s = sources.jsonld?.();
      this.set({ path: 'fast' }, s?.answered ?? 0);
      this.set({ path: 'jsonld' }, s?.leftToJsonld ?? 0);
    },
  });
  new Gauge({
    name: 'microcred_db_pool_connections', help: 'PostgreSQL pool connections by state (total, idle, waiting clients); absent on the embedded store.', labelNames: ['state'], registers: [registry], aggregator: 'sum',
    collect() {
      const s = sources.dbPool?.();
      if (!s) return;
      this.set({ state: 'total' }, s.total);
      this.set({ state: 'idle' }, s.idle);
      this.set({ state: 'waiting' }, s.waiting);
    },
  });
  new Gauge({
    name: 'microcred_cache_lookups', help: 'Lookups since start of what is kept in memory until the store announces a change (own DID documents, institutions by API key, trust registry reads, own status entries), by cache and outcome: hit, miss (loaded from the store), bypass (the change feed was down, read through).', labelNames: ['cache', 'outcome'], registers: [registry], aggregator: 'sum',
    collect() {
      for (const [cache, s] of Object.entries(sources.caches?.() ?? {})) {
        this.set({ cache, outcome: 'hit' }, s.hits);
        this.set({ cache, outcome: 'miss' }, s.misses);
        this.set({ cache, outcome: 'bypass' }, s.bypassed);
      }
    },
  });
  new Gauge({
    name: 'microcred_cache_entries', help: 'Entries held by each verification cache (summed over the service processes).', labelNames: ['cache'], registers: [registry], aggregator: 'sum',
    collect() {
      for (const [cache, s] of Object.entries(sources.caches?.() ?? {})) this.set({ cache }, s.size);
    },
  });
  new Gauge({
    name: 'microcred_change_feed_live', help: '1 while every service process hears the store\'s change announcements (LISTEN/NOTIFY); 0 while any one reads through its caches.', registers: [registry], aggregator: 'min',
    collect() {
      this.set(sources.changeFeedLive?.() ? 1 : 0);
    },
  });
  return {
    registry,
    request(route, method, status, seconds) {
      requests.inc({ route, method, status: String(status) });
      latency.observe({ route, method }, seconds);
    },
    issuance(mechanism, outcome) {
      issued.inc({ mechanism, outcome });
    },
    verification(mechanism, outcome) {
      verified.inc({ mechanism, outcome });
    },
  };
}
