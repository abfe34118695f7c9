import type { FastifyPluginAsync } from 'fastify';
import type { RouteContext } from '../app.js';
import { problem, sendProblem } from '../plugins/errors.js';

/** Liveness and readiness probes. */
export const healthRoutes: FastifyPluginAsync<RouteContext> = async (app, ctx) => {
  const tags = ['operations'];
  app.get('/healthz', { schema: { tags, summary: 'Liveness: the process answers', response: { 200: { type: 'object', properties: { status: { type: 'string', enum: ['ok'] } } } } } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { tags, summary: 'Readiness: the store is reachable (503 STORE_UNAVAILABLE otherwise)', response: { 200: { type: 'object', properties: { status: { type: 'string', enum: ['ready'] } } } } } }, async (request, reply) => {
    try {
      await ctx.services.db.ping();
      return { status: 'ready' };
    } catch (err) {
      request.log.warn({ err }, 'store not reachable');
      return sendProblem(reply, problem(503, 'STORE_UNAVAILABLE', 'The store is not reachable.'));
    }
  });
};
