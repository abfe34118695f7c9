import type { FastifyPluginAsync } from 'fastify';
import type { RouteContext } from '../app.js';
import { problem, sendProblem } from '../plugins/errors.js';

/** Liveness and readiness probes. */
export const healthRoutes: FastifyPluginAsync<RouteContext> = async (app, ctx) => {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (request, reply) => {
    try {
      await ctx.services.db.ping();
      return { status: 'ready' };
    } catch (err) {
      request.log.warn({ err }, 'store not reachable');
      return sendProblem(reply, problem(503, 'STORE_UNAVAILABLE', 'The store is not reachable.'));
    }
  });
};
