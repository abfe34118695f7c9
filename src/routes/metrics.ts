import cluster from 'node:cluster';
import { timingSafeEqual, createHash } from 'node:crypto';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { RouteContext } from '../app.js';
import { InternalError, UnauthorizedError } from '../errors.js';
import { clusterScraper, createMetrics, mechanismOfIssueRequest, mechanismOfSubmitted, verdictOfStatus } from '../metrics/index.js';
import { onRejectedBeforeRouting } from '../plugins/errors.js';

const ISSUE_ROUTES = new Set(['/credentials/issue', '/issuers/:slug/micro-credentials']);
const VERIFY_ROUTES: Record<string, 'verifiableCredential' | 'verifiablePresentation'> = {
  '/credentials/verify': 'verifiableCredential',
  '/presentations/verify': 'verifiablePresentation',
};

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * GET /metrics (Prometheus text format) plus the hooks that feed it. Public unless
 * METRICS_TOKEN is set (Prometheus scrapes usually carry no credentials; keep the port on an
 * internal network or set the token). Registered without encapsulation so its hooks see every route.
 * With PROCESSES > 1 the process that gets the scrape answers for all of them (via the primary).
 */
const plugin: FastifyPluginAsync<RouteContext> = async (app, ctx) => {
  const db = ctx.services.db as { poolStats?: { total: number; idle: number; waiting: number } };
  const metrics = createMetrics({
    pool: () => ctx.services.canonizePool?.stats(),
    jsonld: () => ctx.services.fastRdf.stats(),
    dbPool: () => db.poolStats,
    caches: () => ctx.services.caches(),
    changeFeedLive: () => ctx.services.db.changes.live,
  });
  const token = ctx.config.metricsToken;
  // Counters that jumped between processes from one scrape to the next would read as resets.
  const clustered = ctx.config.processes > 1 && cluster.isWorker ? clusterScraper(metrics.registry) : undefined;
  if (clustered) app.addHook('onClose', async () => clustered.stop());

  // The verdict of a verification is in the report only (422 covers invalid and indeterminate).
  const verdicts = new WeakMap<FastifyRequest, unknown>();
  app.addHook('preSerialization', async (request, _reply, payload) => {
    if (request.method === 'POST' && Object.hasOwn(VERIFY_ROUTES, request.routeOptions.url ?? '')) verdicts.set(request, (payload as { verdict?: unknown } | null)?.verdict);
    return payload;
  });

  // Refused before routing (an undecodable URL): counted under one fixed route label.
  onRejectedBeforeRouting(app, (request, reply) => metrics.request('rejected', request.method, reply.statusCode, reply.elapsedTime / 1000));

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    if (route === '/metrics') return;
    const status = reply.statusCode;
    metrics.request(route, request.method, status, reply.elapsedTime / 1000);
    if (request.method !== 'POST') return;
    if (ISSUE_ROUTES.has(route)) {
      metrics.issuance(mechanismOfIssueRequest(request.body, request.query), status === 201 || status === 200 ? 'issued' : outcomeCode(request, status));
    } else if (route in VERIFY_ROUTES) {
      const field = VERIFY_ROUTES[route]!;
      metrics.verification(mechanismOfSubmitted((request.body as Record<string, unknown> | undefined)?.[field]), verdictOfStatus(status, verdicts.get(request)));
    }
  });

  app.get('/metrics', {
    schema: {
      tags: ['operations'],
      summary: 'Prometheus metrics (text exposition format)',
      description: 'Public unless METRICS_TOKEN is set; then Authorization: Bearer <METRICS_TOKEN> is required (401 UNAUTHORIZED otherwise). With PROCESSES > 1, a process that does not answer in time → 503 METRICS_UNAVAILABLE.',
      // Anonymous, or the metrics token when one is configured.
      security: [{}, { metricsToken: [] }],
    },
  }, async (request, reply) => {
    if (token) {
      const given = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
      if (!timingSafeEqual(digest(given), digest(token))) throw new UnauthorizedError('UNAUTHORIZED', 'GET /metrics needs the metrics bearer token.');
    }
    let text: string;
    try {
      text = clustered ? await clustered.scrape() : await metrics.registry.metrics();
    } catch (err) {
      // A partial answer would make the missing processes' counters look reset: none instead.
      throw new InternalError('METRICS_UNAVAILABLE', 'The service processes\' metrics could not be collected.', 503, { cause: err });
    }
    return reply.header('content-type', metrics.registry.contentType).send(text);
  });
};

// Status classes only: error codes live in the body, and labels must stay a small fixed set.
function outcomeCode(_request: FastifyRequest, status: number): string {
  return status >= 500 ? 'server_error' : status === 429 ? 'rate_limited' : status === 401 || status === 403 ? 'unauthorized' : 'refused';
}

// Fastify's skip-override: hooks apply to the whole app, as fastify-plugin would do.
(plugin as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;

/** The /metrics route and its global hooks. */
export const metricsRoutes = plugin;
