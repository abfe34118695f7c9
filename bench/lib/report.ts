import type { Row } from './stats.js';

/** The bench table as fixed-width text. */
export function formatTable(rows: Row[]): string {
  const head = ['row', 'c', 'ops/s', 'p50 ms', 'p99 ms', 'peak RSS MB', 'ops', 'err', 'CPU ms/op svc+db+load', 'ratio vs baseline'];
  const cpu = (r: Row) => (r.cpuMsPerOp ? `${r.cpuMsPerOp.service.toFixed(2)}+${r.cpuMsPerOp.db.toFixed(2)}+${r.cpuMsPerOp.loadgen.toFixed(2)}` : '');
  const body = rows.map((r) => [
    r.name, String(r.concurrency), r.throughput.toFixed(1), r.p50.toFixed(2), r.p99.toFixed(2), r.peakRssMb.toFixed(0), String(r.ops), String(r.errors), cpu(r),
    r.ratio !== undefined ? `${r.ratio.toFixed(2)}× (${r.baseline!.replace(/^baseline /, '')})` : r.note ?? '',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/** One performance target (P1–P4) and whether this run met it. */
export interface TargetResult {
  id: string;
  met: boolean;
  text: string;
}

/** Judge P1–P4 from the rows of one run. */
export function judgeTargets(rows: Row[]): TargetResult[] {
  const find = (name: string, c: number) => rows.find((r) => r.name === name && r.concurrency === c);
  const out: TargetResult[] = [];
  const p1 = find('service DI issue annex-i', 16);
  if (p1) {
    const met = (p1.ratio ?? 0) >= 3 && p1.p99 < 100;
    out.push({ id: 'P1', met, text: `DI issue Annex I c=16: ${(p1.ratio ?? 0).toFixed(2)}× baseline (target ≥ 3×), p99 ${p1.p99.toFixed(0)} ms (target < 100 ms)` });
  }
  const p2 = find('service DI verify annex-i', 16);
  if (p2) out.push({ id: 'P2', met: (p2.ratio ?? 0) >= 4, text: `DI verify Annex I c=16: ${(p2.ratio ?? 0).toFixed(2)}× baseline (target ≥ 4×)` });
  // vc+jwt is VC 2.0 only and the Annex I sample is VC 1.1, so P3 is judged on the small credential.
  const p3 = find('service vc+jwt issue small', 16);
  if (p3) {
    // The reference rows bound what any HTTP issuer reaches here: the same sign, and a durable write.
    const refs = rows.filter((r) => r.kind === 'reference' && r.ratio !== undefined).map((r) => `${r.name.replace(/^reference /, '').replace(/, small$/, '')} ${((r.ratio ?? 0) * 100).toFixed(0)}%`);
    out.push({ id: 'P3', met: (p3.ratio ?? 0) >= 0.4, text: `vc+jwt issue (small VC 2.0) c=16: ${((p3.ratio ?? 0) * 100).toFixed(0)}% of the raw jose sign loop (target ≥ 40%)${refs.length ? `; reference server: ${refs.join(', ')}` : ''}` });
  }
  const bulk = rows.find((r) => r.kind === 'bulk');
  if (bulk) {
    if (bulk.note?.startsWith('pending')) out.push({ id: 'P4', met: false, text: bulk.note });
    else {
      const rate = p1?.throughput ?? Infinity;
      // Memory is judged per process: with PROCESSES > 1 each process is what a memory limit
      // applies to, and a sum of RSS counts the shared code pages of every process again.
      const perProcess = bulk.peakProcessRssMb ?? bulk.peakRssMb;
      const summed = perProcess !== bulk.peakRssMb ? `; ${bulk.peakRssMb.toFixed(0)} MB summed over the service's processes` : '';
      out.push({ id: 'P4', met: bulk.errors === 0 && perProcess < 400 && bulk.throughput >= rate, text: `bulk ${bulk.ops} rows: ${bulk.throughput.toFixed(1)} rows/s (P1 rate ${p1 ? p1.throughput.toFixed(1) : '?'}), peak RSS ${perProcess.toFixed(0)} MB per process (target < 400${summed}), ${bulk.errors} failed` });
    }
  }
  return out;
}
