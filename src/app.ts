import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Config } from './config.js';
import type { Db } from './store/index.js';
import { frameworkError, installErrorHandlers, MAX_PARAM_LENGTH } from './plugins/errors.js';
import { installJsonParser } from './plugins/json-body.js';
import { installRequestLog } from './plugins/logging.js';
import { installOpenApi } from './plugins/openapi.js';
import { createAuthGuards } from './plugins/auth.js';
import { createServices, type Services } from './services.js';
import { healthRoutes } from './routes/health.js';
import { adminInstitutionRoutes } from './routes/admin-institutions.js';
import { didRoutes } from './routes/did.js';
import { credentialRoutes } from './routes/credentials.js';
import { statusRoutes } from './routes/status.js';
import { auditRoutes } from './routes/audit.js';
import { verifyRoutes } from './routes/verify.js';
import { keyRoutes } from './routes/keys.js';
import rateLimit from '@fastify/rate-limit';
import { webRoutes } from './routes/web.js';
import { microCredentialRoutes } from './routes/micro-credentials.js';
import { templateRoutes } from './routes/templates.js';
import { batchRoutes } from './routes/batches.js';
import { registryRoutes } from './routes/registry.js';
import { adminRegistryRoutes } from './routes/admin-registry.js';
import { accreditationRoutes } from './routes/accreditations.js';
import { walletRoutes } from './routes/wallet.js';
import { metricsRoutes } from './routes/metrics.js';

/** What buildApp needs besides config: the store, secrets, and the injectable world (time, randomness, fetch). */
export interface AppDeps {
  db: Db;
  /** 32-byte key-encryption key for private keys at rest. */
  kek: Buffer;
  adminToken: string;
  logger?: FastifyBaseLogger | false;
  now?: () => Date;
  fetch?: typeof fetch;
  /** Tests only: let did:web and status-list fetches reach 127.0.0.1 over http. */
  allowPrivateNetwork?: boolean;
}

/** Build the Fastify application (routes, plugins, services); does not listen. */
export async function buildApp(config: Config, deps: AppDeps): Promise<FastifyInstance> {
  const options: FastifyServerOptions = {
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: false }),
    bodyLimit: config.bodyLimit,
    requestTimeout: config.requestTimeoutMs,
    connectionTimeout: config.requestTimeoutMs,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    // One line per request comes from our onResponse hook (with secrets redacted from URLs).
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: config.trustProxy,
    genReqId: () => randomUUID(),
    return503OnClosing: true,
    // Errors Fastify raises before routing (undecodable URLs…) get our problem documents too.
    frameworkErrors: frameworkError,
    // Ids in paths (credentials, registry entries) may be IRIs of up to 2,000 characters.
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    ajv: {
      // Never strip or coerce inside signed payloads; report every problem at once.
      customOptions: { removeAdditional: false, allErrors: true, coerceTypes: 'array', useDefaults: true },
    },
  };
  const app = Fastify(options) as unknown as FastifyInstance;

  const services: Services = await createServices(config, deps);
  const guards = createAuthGuards({ adminToken: deps.adminToken, findInstitutionByKeyHash: services.institutions.findByApiKeyHash });
  const ctx = { config, services, guards };

  installJsonParser(app);
  installErrorHandlers(app);
  installRequestLog(app);
  await installOpenApi(app, { publicUrl: config.publicUrl, version: services.version });
  // Only routes that opt in (public verification) are limited; institutions are authenticated.
  await app.register(rateLimit, { global: false });

  await app.register(healthRoutes, ctx);
  await app.register(adminInstitutionRoutes, ctx);
  await app.register(didRoutes, ctx);
  await app.register(credentialRoutes, ctx);
  await app.register(verifyRoutes, ctx);
  await app.register(keyRoutes, ctx);
  await app.register(webRoutes, ctx);
  await app.register(statusRoutes, ctx);
  await app.register(auditRoutes, ctx);
  await app.register(walletRoutes, ctx);
  await app.register(registryRoutes, ctx);
  await app.register(adminRegistryRoutes, ctx);
  await app.register(accreditationRoutes, ctx);
  await app.register(microCredentialRoutes, ctx);
  await app.register(templateRoutes, ctx);
  await app.register(batchRoutes, ctx);
  await app.register(metricsRoutes, ctx);
  // <route-plugins: add one `await app.register(xRoutes, ctx);` line per capability above this marker>

  app.addHook('onClose', async () => {
    await services.close();
  });
  return app;
}

/** What every route plugin receives. */
export type RouteContext = {
  config: Config;
  services: Services;
  guards: ReturnType<typeof createAuthGuards>;
};
