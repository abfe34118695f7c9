import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

/** A service process started by the bench. */
export interface ServiceProcess {
  url: string;
  pid: number;
  adminToken: string;
  /** Current RSS of the service in MB (from /proc), summed over its processes. */
  rssMb(): number;
  /** Current RSS in MB of its largest process (with PROCESSES > 1, what one process's memory limit must hold). */
  largestRssMb(): number;
  /** Peak RSS so far (VmHWM) in MB. */
  hwmMb(): number;
  /** CPU time used so far (all threads) in ms. */
  cpuMs(): number;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** CPU time (user + system, all threads) of a process in ms, from /proc; 0 when it is gone. */
export function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return 0;
  }
}

/** `pid` and its descendants (a service with PROCESSES > 1 is a primary and its workers). */
function processTree(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      /* exited meanwhile */
    }
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) for (const [child, parent] of parents) if (parent === tree[i]) tree.push(child);
  return tree;
}

/** CPU time in ms of each PostgreSQL server process on this machine, by pid (none for PGlite). */
export function postgresCpuByPid(): Map<number, number> {
  const byPid = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres') byPid.set(Number(entry), processCpuMs(Number(entry)));
    } catch {
      /* exited meanwhile */
    }
  }
  return byPid;
}

/**
 * PostgreSQL CPU spent since it started, counted per server process and sampled: a backend that
 * exits (an idle pooled connection closed) keeps what it spent up to its last sample, instead of
 * taking its whole CPU time out of a before/after sum.
 */
export function postgresCpuMeter(): { sample(): void; spentMs(): number } {
  const start = postgresCpuByPid();
  const last = new Map(start);
  const sample = () => {
    for (const [pid, ms] of postgresCpuByPid()) last.set(pid, ms);
  };
  return {
    sample,
    spentMs() {
      sample();
      let total = 0;
      for (const [pid, ms] of last) total += ms - (start.get(pid) ?? 0);
      return total;
    },
  };
}

function procStatusMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Memory and CPU of a process and its descendants (a service with PROCESSES > 1 is a primary and its workers), from /proc. */
export function processMetrics(pid: number): Pick<ServiceProcess, 'rssMb' | 'largestRssMb' | 'hwmMb' | 'cpuMs'> {
  return {
    rssMb: () => processTree(pid).reduce((n, p) => n + procStatusMb(p, 'VmRSS'), 0),
    largestRssMb: () => Math.max(...processTree(pid).map((p) => procStatusMb(p, 'VmRSS'))),
    hwmMb: () => processTree(pid).reduce((n, p) => n + procStatusMb(p, 'VmHWM'), 0),
    cpuMs: () => processTree(pid).reduce((n, p) => n + processCpuMs(p), 0),
  };
}

/** How `npm start` runs the service (package.json): node, its flags and the compiled entry point. */
export function startCommand(root: string): { nodeFlags: string[]; entry: string } {
  const start = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start.split(/\s+/);
  if (start[0] !== 'node') throw new Error(`npm start does not run node directly: ${start.join(' ')}`);
  return { nodeFlags: start.slice(1, -1), entry: start[start.length - 1]! };
}

/**
 * Start the service as `npm start` runs it (the compiled build: `npm run build` first) as a child
 * process (embedded store in a temp DATA_DIR unless databaseUrl) and wait for /readyz.
 */
export async function startService(opts: { root: string; databaseUrl?: string; env?: Record<string, string>; nodeArgs?: string[] }): Promise<ServiceProcess> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'microcred-bench-'));
  const adminToken = `bench_${randomBytes(24).toString('hex')}`;
  const url = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: url,
    DATA_DIR: join(dir, 'data'),
    KEYS_DIR: join(dir, 'keys'),
    ADMIN_TOKEN: adminToken,
    KEY_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'warn',
    DEMO_INSTITUTION: 'false',
    VERIFY_RATE_LIMIT: '100000000',
    BODY_LIMIT: String(8 * 1024 * 1024),
    ...(opts.databaseUrl ? { DATABASE_URL: opts.databaseUrl } : {}),
    ...opts.env,
  };
  const { nodeFlags, entry } = startCommand(opts.root);
  if (!existsSync(join(opts.root, entry))) throw new Error(`${entry} is missing: run npm run build first`);
  const child: ChildProcess = spawn(process.execPath, [...nodeFlags, ...(opts.nodeArgs ?? []), entry], { cwd: opts.root, env, stdio: ['ignore', 'inherit', 'inherit'] });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`service exited with code ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error('service did not become ready in 60 s');
    await new Promise((r) => setTimeout(r, 200));
  }
  const pid = child.pid!;
  // With PROCESSES > 1 the first process answers while the others may still be starting.
  const processes = Number(env.PROCESSES ?? 1);
  if (processes > 1) {
    while (processTree(pid).length < processes + 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    await new Promise((r) => setTimeout(r, 3000));
  }
  return {
    url,
    pid,
    adminToken,
    ...processMetrics(pid),
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** JSON request helper against the service. */
export async function call<T = Record<string, unknown>>(url: string, path: string, init: { method?: string; token?: string; body?: unknown; headers?: Record<string, string>; raw?: string }): Promise<{ status: number; body: T }> {
  const res = await fetch(`${url}${path}`, {
    method: init.method ?? (init.body !== undefined || init.raw !== undefined ? 'POST' : 'GET'),
    headers: {
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...init.headers,
    },
    body: init.raw ?? (init.body !== undefined ? JSON.stringify(init.body) : undefined),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: body as T };
}
