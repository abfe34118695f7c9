import cluster, { type Worker } from 'node:cluster';
import pino, { type Logger } from 'pino';
import { ConfigError, INTERNAL_ENV, loadConfig, type Config } from './config.js';
import { resolveSecrets } from './dev-secrets.js';
import { REDACT_PATHS } from './plugins/logging.js';

// Set by the primary on the processes it starts: which one this is (the first sets up the demo).
const PROCESS_INDEX_ENV = INTERNAL_ENV.PROCESS_INDEX;

/**
 * PROCESSES > 1: this process only starts and watches the service processes, which share the
 * port (node:cluster hands connections round-robin), and merges their metrics for whichever of
 * them a scrape reaches. Development secrets are resolved here first so that the processes all
 * read the same files rather than each generating its own.
 */
async function runPrimary(config: Config, logger: Logger): Promise<void> {
  const secrets = resolveSecrets(config);
  // Listening before any process starts, so that no scrape request can go unheard.
  const { serveClusterMetrics } = await import('./metrics/index.js');
  serveClusterMetrics();
  let stopping = false;
  const start = (index: number): Worker => {
    const worker = cluster.fork({ [PROCESS_INDEX_ENV]: String(index) });
    worker.on('exit', (code, signal) => {
      if (stopping) return;
      // A process that dies is replaced, after a pause so a crash loop cannot spin.
      logger.error({ index, code, signal }, 'service process exited; starting another');
      setTimeout(() => start(index), 1000).unref();
    });
    return worker;
  };
  for (let i = 0; i < config.processes; i++) start(i);
  logger.info({ processes: config.processes }, 'microcred primary: service processes starting');
  if (secrets.generated.length) {
    process.stdout.write(`Generated development secrets in ${config.keysDir}/ (${secrets.generated.join(', ')}); admin token: ${config.keysDir}/admin-token\n`);
  }
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down the service processes');
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    const force = setTimeout(() => process.exit(1), config.shutdownTimeoutMs + 2000);
    force.unref();
    let left = workers.length;
    if (left === 0) process.exit(0);
    for (const w of workers) {
      w.once('exit', () => {
        if (--left === 0) process.exit(0);
      });
      w.process.kill('SIGTERM');
    }
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

/** Start the service: config, secrets, store, app, listen; shut down gracefully on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = pino({ level: config.logLevel, redact: { paths: REDACT_PATHS, censor: '[Redacted]' } });
  if (config.processes > 1 && cluster.isPrimary) return runPrimary(config, logger);
  // In a cluster, only the first process sets up the demo and reports generated secrets.
  const first = (process.env[PROCESS_INDEX_ENV] ?? '0') === '0';
  const secrets = resolveSecrets(config);
  // Loaded here, not at the top: a PROCESSES primary only forks and watches, and stays small.
  const [{ buildApp }, { openDb }, { ensureDemoInstitution }] = await Promise.all([import('./app.js'), import('./store/index.js'), import('./demo.js')]);
  const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolMax: config.dbPoolMax });
  const app = await buildApp(config, { db, kek: secrets.kek, adminToken: secrets.adminToken, logger });

  let shuttingDown = false;
  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, 'shutting down: no new connections, finishing in-flight requests');
    const force = setTimeout(() => {
      logger.error('shutdown timed out; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    force.unref();
    try {
      await app.close(); // stops accepting, waits for in-flight requests, runs onClose hooks
      await db.close();
      logger.info('stopped');
      process.exit(0);
    } catch (err) {
      logger.error({ err }, 'error during shutdown');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  logger.info({ url: config.publicUrl, store: db.kind }, 'microcred listening');

  if (config.demoInstitution && first) {
    const demo = await ensureDemoInstitution(app, config, secrets.adminToken);
    process.stdout.write(demo);
  }
  if (secrets.generated.length && cluster.isPrimary) {
    process.stdout.write(`Generated development secrets in ${config.keysDir}/ (${secrets.generated.join(', ')}); admin token: ${config.keysDir}/admin-token\n`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`microcred failed to start: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
