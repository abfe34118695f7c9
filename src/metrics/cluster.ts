import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry, type MetricObjectWithValues, type MetricValue, type Registry } from 'prom-client';

// With PROCESSES > 1 a scrape lands on any one process, which asks the primary; the primary
// collects every process's registry and merges them (prom-client's per-metric aggregators).
const SCRAPE = 'microcred:metrics-scrape'; // process → primary: the whole service's metrics, please
const SCRAPED = 'microcred:metrics-scraped'; // primary → process: the text, or an error
const COLLECT = 'microcred:metrics-collect'; // primary → process: your own metrics
const COLLECTED = 'microcred:metrics-collected'; // process → primary: as getMetricsAsJSON()
const READY = 'microcred:metrics-ready'; // process → primary: answers COLLECT from now on

type Metrics = MetricObjectWithValues<MetricValue<string>>[];

interface Message {
  type?: unknown;
  id?: number;
  text?: string;
  metrics?: Metrics;
  error?: string;
}

interface Gathering {
  parts: Metrics[];
  waiting: Set<number>;
  done: (err: Error | undefined) => void;
}

const DEFAULT_TIMEOUT_MS = 4_000;

function send(target: Worker | NodeJS.Process, msg: Message): void {
  try {
    (target as { send?: (m: Message) => unknown }).send?.(msg);
  } catch {
    // The other side is gone; the caller's timeout or the exit handler settles the request.
  }
}

/**
 * In the primary of a cluster: answer the service processes' scrape requests with the metrics of
 * every process, aggregated. A process that has not registered its metrics yet (still starting)
 * is left out; one that does not answer in time fails the scrape rather than making counters
 * jump back. Returns a function that stops serving.
 */
export function serveClusterMetrics(opts: { timeoutMs?: number } = {}): () => void {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const ready = new Set<number>();
  const gatherings = new Map<number, Gathering>();
  let nextId = 0;

  function gather(): Promise<string> {
    const id = ++nextId;
    const targets = [...ready].map((wid) => cluster.workers?.[wid]).filter((w): w is Worker => w !== undefined && w.isConnected());
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => g.done(new Error(`metrics: ${g.waiting.size} process(es) did not answer within ${timeoutMs} ms`)), timeoutMs);
      const g: Gathering = {
        parts: [],
        waiting: new Set(targets.map((w) => w.id)),
        done(err) {
          if (!gatherings.delete(id)) return;
          clearTimeout(timer);
          if (err) return reject(err);
          AggregatorRegistry.aggregate(g.parts).metrics().then(resolve, reject);
        },
      };
      gatherings.set(id, g);
      if (g.waiting.size === 0) return g.done(undefined);
      for (const w of targets) send(w, { type: COLLECT, id });
    });
  }

  const onMessage = (worker: Worker, msg: Message) => {
    if (!msg || typeof msg !== 'object') return;
    if (msg.type === READY) ready.add(worker.id);
    else if (msg.type === COLLECTED) {
      const g = gatherings.get(msg.id ?? -1);
      if (!g || !g.waiting.delete(worker.id)) return;
      if (msg.error !== undefined) return g.done(new Error(`metrics: ${msg.error}`));
      g.parts.push(msg.metrics ?? []);
      if (g.waiting.size === 0) g.done(undefined);
    } else if (msg.type === SCRAPE) {
      gather().then(
        (text) => send(worker, { type: SCRAPED, id: msg.id, text }),
        (err: Error) => send(worker, { type: SCRAPED, id: msg.id, error: err.message }),
      );
    }
  };
  // A process that exits takes its counters with it: a scrape in progress goes on without it.
  const onExit = (worker: Worker) => {
    ready.delete(worker.id);
    for (const g of [...gatherings.values()]) if (g.waiting.delete(worker.id) && g.waiting.size === 0) g.done(undefined);
  };
  cluster.on('message', onMessage);
  cluster.on('exit', onExit);
  return () => {
    cluster.off('message', onMessage);
    cluster.off('exit', onExit);
  };
}

/** Scrapes the whole service's metrics, plus stop() to detach from the primary. */
export interface ClusterScraper {
  scrape(): Promise<string>;
  stop(): void;
}

/**
 * In a service process started by serveClusterMetrics' primary: offer `registry` to the primary,
 * and scrape() the aggregated metrics of all processes through it.
 */
export function clusterScraper(registry: Registry, opts: { timeoutMs?: number } = {}): ClusterScraper {
  // A little longer than the primary's own wait, so its answer (or its error) arrives first.
  const timeoutMs = (opts.timeoutMs ?? DEFAULT_TIMEOUT_MS) + 1_000;
  const pending = new Map<number, (msg: Message) => void>();
  let nextId = 0;
  const onMessage = (msg: Message) => {
    if (!msg || typeof msg !== 'object') return;
    if (msg.type === COLLECT) {
      registry.getMetricsAsJSON().then(
        (metrics) => send(process, { type: COLLECTED, id: msg.id, metrics: metrics as Metrics }),
        (err: Error) => send(process, { type: COLLECTED, id: msg.id, error: err.message }),
      );
    } else if (msg.type === SCRAPED) {
      pending.get(msg.id ?? -1)?.(msg);
    }
  };
  process.on('message', onMessage);
  send(process, { type: READY });
  return {
    scrape() {
      const id = ++nextId;
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => settle({ error: `no answer from the primary within ${timeoutMs} ms` }), timeoutMs);
        const settle = (msg: Message) => {
          pending.delete(id);
          clearTimeout(timer);
          if (typeof msg.text === 'string') resolve(msg.text);
          else reject(new Error(msg.error ?? 'metrics unavailable'));
        };
        pending.set(id, settle);
        send(process, { type: SCRAPE, id });
      });
    },
    stop() {
      process.off('message', onMessage);
      for (const settle of [...pending.values()]) settle({ error: 'stopping' });
    },
  };
}
