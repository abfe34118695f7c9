import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { drive } from './load.js';
import { freePort, processMetrics, startCommand, type ServiceProcess } from './service.js';
import type { Row } from './stats.js';

const SERVER = fileURLToPath(new URL('./jose-reference-server.ts', import.meta.url));

/** Start jose-reference-server.ts as its own process (node flags as `npm start`, tsx inherited from the bench). */
async function startReference(root: string, databaseUrl: string | undefined): Promise<ServiceProcess> {
  const port = await freePort();
  const child = fork(SERVER, [], {
    execArgv: [...process.execArgv, ...startCommand(root).nodeFlags],
    env: { PATH: process.env.PATH ?? '', PORT: String(port), ...(databaseUrl ? { REFERENCE_DATABASE_URL: databaseUrl } : {}) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`JOSE reference server exited with code ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    adminToken: '',
    ...processMetrics(child.pid!),
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

/**
 * What HTTP and a durable write cost a `vc+jwt` issuer on this machine, measured like the
 * service's rows (same load generator, concurrency 16): the reference server signing only, and,
 * with a database, also storing one row per request. The service's vc+jwt issuance does all of
 * this and more, so these rows show how much of the raw jose loop (P3) is left for the rest.
 */
export async function runJoseReferences(opts: { root: string; databaseUrl?: string; credential: Record<string, unknown>; durationS: number }): Promise<Row[]> {
  const rows: Row[] = [];
  const variants: Array<[string, string | undefined]> = [['reference jose over HTTP, no storage, small', undefined]];
  if (opts.databaseUrl) variants.push(['reference jose over HTTP + one-row insert, small', opts.databaseUrl]);
  for (const [name, databaseUrl] of variants) {
    const ref = await startReference(opts.root, databaseUrl);
    try {
      const row = await drive(ref, { name, path: '/credentials/issue', body: { credential: opts.credential }, connections: 16, durationS: opts.durationS, warmupS: 2 });
      rows.push({ ...row, kind: 'reference' });
    } finally {
      await ref.stop();
    }
  }
  return rows;
}
