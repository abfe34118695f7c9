import autocannon from 'autocannon';
import { postgresCpuMeter, type ServiceProcess } from './service.js';
import type { Row } from './stats.js';

/** Drive one POST endpoint with autocannon at a fixed concurrency; sample the service's RSS meanwhile. */
export async function drive(svc: ServiceProcess, opts: { name: string; path: string; token?: string; body: unknown; connections: number; durationS: number; warmupS?: number; okStatuses?: number[] }): Promise<Row> {
  const body = JSON.stringify(opts.body);
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}) };
  const run = (duration: number) => autocannon({ url: `${svc.url}${opts.path}`, method: 'POST', headers, body, connections: opts.connections, duration, timeout: 60 });
  if (opts.warmupS) await run(opts.warmupS);
  let peak = svc.rssMb();
  const db = postgresCpuMeter();
  let ticks = 0;
  const timer = setInterval(() => {
    peak = Math.max(peak, svc.rssMb());
    if (++ticks % 3 === 0) db.sample();
  }, 100);
  const cpu0 = { service: svc.cpuMs(), loadgen: process.cpuUsage() };
  try {
    const r = await run(opts.durationS);
    const lg = process.cpuUsage(cpu0.loadgen);
    // A verification that runs every check and reports a failed one (422) is a completed request.
    const okStatuses = opts.okStatuses ?? [200, 201];
    const stats = r.statusCodeStats ?? {};
    const ok = okStatuses.reduce((n, s) => n + (stats[String(s)]?.count ?? 0), 0);
    const errors = Object.entries(stats).filter(([s]) => !okStatuses.includes(Number(s))).reduce((n, [, v]) => n + v.count, 0) + r.errors + r.timeouts;
    return {
      name: opts.name, kind: 'service', concurrency: opts.connections,
      throughput: ok / (r.duration || opts.durationS), p50: r.latency.p50, p99: r.latency.p99,
      peakRssMb: Math.max(peak, svc.rssMb()), ops: ok, errors,
      cpuMsPerOp: {
        service: (svc.cpuMs() - cpu0.service) / Math.max(1, ok),
        db: db.spentMs() / Math.max(1, ok),
        loadgen: (lg.user + lg.system) / 1000 / Math.max(1, ok),
      },
    };
  } finally {
    clearInterval(timer);
  }
}
