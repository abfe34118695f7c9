/** One measured row of the bench table. */
export interface Row {
  name: string;
  /** reference: the JOSE reference server (jose-reference.ts), what bounds the service's vc+jwt rows. */
  kind: 'baseline' | 'service' | 'reference' | 'bulk';
  concurrency: number;
  /** Operations (or rows) per second. */
  throughput: number;
  p50: number;
  p99: number;
  /** Peak RSS in MB (the service process for service rows, the bench process for baselines). */
  peakRssMb: number;
  /** Bulk rows: peak RSS in MB of the largest single service process (equals peakRssMb with one process). */
  peakProcessRssMb?: number;
  ops: number;
  errors: number;
  /** Name of the baseline row this row is compared with, and the ratio throughput/baseline. */
  baseline?: string;
  ratio?: number;
  note?: string;
  /** CPU time per operation in ms: the service process, the database server, the load generator (this process). */
  cpuMsPerOp?: { service: number; db: number; loadgen: number };
}

/** Percentile (nearest-rank) of a list of latencies in ms. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

/** Run `op` sequentially for `durationMs` (after `warmup` untimed calls) and summarise. */
export async function loop(name: string, op: () => Promise<unknown>, opts: { durationMs: number; warmup: number }): Promise<Row> {
  for (let i = 0; i < opts.warmup; i++) await op();
  const lat: number[] = [];
  let peak = process.memoryUsage.rss();
  const start = performance.now();
  while (performance.now() - start < opts.durationMs) {
    const t = performance.now();
    await op();
    lat.push(performance.now() - t);
    if (lat.length % 16 === 0) peak = Math.max(peak, process.memoryUsage.rss());
  }
  const elapsed = performance.now() - start;
  lat.sort((a, b) => a - b);
  return {
    name, kind: 'baseline', concurrency: 1, throughput: (lat.length / elapsed) * 1000,
    p50: percentile(lat, 50), p99: percentile(lat, 99), peakRssMb: peak / 2 ** 20, ops: lat.length, errors: 0,
  };
}
