import pino from 'pino';
import { ConfigError, loadConfig, type Config } from './config.js';
import { buildApp } from './app.js';
import { openDb } from './store/index.js';
import { resolveSecrets } from './dev-secrets.js';
import { REDACT_PATHS } from './plugins/logging.js';
import { ensureDemoInstitution } from './demo.js';

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
  const secrets = resolveSecrets(config);
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

  if (config.demoInstitution) {
    const demo = await ensureDemoInstitution(app, config, secrets.adminToken);
    process.stdout.write(demo);
  }
  if (secrets.generated.length) {
    process.stdout.write(`Generated development secrets in ${config.keysDir}/ (${secrets.generated.join(', ')}); admin token: ${config.keysDir}/admin-token\n`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`microcred failed to start: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
