import { call, type ServiceProcess } from './service.js';
import type { Row } from './stats.js';

/** A course template with every Annex I element but the learner (as the micro-credential API expects). */
const COURSE = {
  title: 'Data literacy basics',
  description: 'Reading and presenting data.',
  learningOutcomes: [{ text: 'Interpret descriptive statistics of a data set.' }],
  workload: { ects: 2, hours: 50 },
  eqfLevel: 5,
  thematicArea: ['0688'],
  assessment: { type: 'written-examination' },
  participation: { mode: 'online', learningSetting: 'formal' },
  qualityAssurance: { type: 'institutional-qa' },
  prerequisites: 'None.',
  stackability: { standalone: true },
};

function csv(n: number): string {
  const lines = ['row_key,given_name,family_name,email,date_of_birth,grade,awarded_date'];
  for (let i = 1; i <= n; i++) lines.push(`k${i},Given${i},Family${i},l${i}@example.org,2000-01-02,Pass,2024-05-01`);
  return `${lines.join('\n')}\n`;
}

/**
 * Bulk issuance: one template, one CSV of `rows` learners to POST /issuers/{slug}/batches,
 * then poll progress until done; rows/s from submission to completion, peak service RSS.
 */
export async function runBulk(svc: ServiceProcess, opts: { apiKey: string; slug: string; rows: number }): Promise<Row> {
  const name = `bulk CSV ${opts.rows} rows (DI)`;
  const pending = (note: string): Row => ({ name, kind: 'bulk', concurrency: 0, throughput: 0, p50: 0, p99: 0, peakRssMb: 0, ops: 0, errors: 0, note: `pending: ${note}` });
  const tpl = await call<{ id: string }>(svc.url, `/issuers/${opts.slug}/templates`, { token: opts.apiKey, body: { name: 'Bench course', spec: COURSE } });
  if (tpl.status === 404) return pending('templates endpoint not available');
  if (tpl.status !== 201) return pending(`template creation failed (${tpl.status} ${JSON.stringify(tpl.body).slice(0, 200)})`);
  let peak = svc.rssMb();
  let peakProcess = svc.largestRssMb();
  const timer = setInterval(() => {
    peak = Math.max(peak, svc.rssMb());
    peakProcess = Math.max(peakProcess, svc.largestRssMb());
  }, 100);
  try {
    const start = performance.now();
    const sub = await call<{ id: string }>(svc.url, `/issuers/${opts.slug}/batches?templateId=${encodeURIComponent(tpl.body.id)}`, { token: opts.apiKey, raw: csv(opts.rows), headers: { 'content-type': 'text/csv' } });
    if (sub.status === 404) return pending('batches endpoint not available');
    if (sub.status !== 202) return pending(`batch submission failed (${sub.status} ${JSON.stringify(sub.body).slice(0, 200)})`);
    const submittedMs = performance.now() - start;
    let last = { issued: 0, failed: 0, pending: opts.rows, status: 'queued' };
    let lastProgress = performance.now();
    for (;;) {
      await new Promise((r) => setTimeout(r, 500));
      const p = await call<typeof last>(svc.url, `/issuers/${opts.slug}/batches/${sub.body.id}`, { token: opts.apiKey });
      if (p.status !== 200) throw new Error(`batch progress: ${p.status}`);
      if (p.body.issued + p.body.failed > last.issued + last.failed) lastProgress = performance.now();
      last = p.body;
      if (last.status === 'done' || last.pending === 0) break;
      if (performance.now() - lastProgress > 60_000) throw new Error(`batch stalled at ${last.issued}/${opts.rows}`);
    }
    const elapsed = (performance.now() - start) / 1000;
    return {
      name, kind: 'bulk', concurrency: 0, throughput: last.issued / elapsed, p50: 0, p99: 0,
      peakRssMb: Math.max(peak, svc.rssMb()), peakProcessRssMb: Math.max(peakProcess, svc.largestRssMb()), ops: last.issued, errors: last.failed,
      note: `upload ${submittedMs.toFixed(0)} ms, total ${elapsed.toFixed(1)} s`,
    };
  } finally {
    clearInterval(timer);
  }
}
