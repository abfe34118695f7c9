import type { FastifyPluginAsync } from 'fastify';
import type { RouteContext } from '../app.js';
import { actorOf } from '../plugins/auth.js';
import { actionsOf, type StatusChangeBody } from '../status/index.js';

const UUID = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';

/** True when an If-None-Match header matches the ETag (weak comparison, as RFC 9110 prescribes for it). */
function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

/** Bitstring Status List publication and the VC-API status change endpoint. */
export const statusRoutes: FastifyPluginAsync<RouteContext> = async (app, ctx) => {
  const { status } = ctx.services;

  app.get<{ Params: { id: string } }>(
    '/status-lists/:id',
    {
      schema: {
        tags: ['status'],
        summary: 'A signed BitstringStatusListCredential (public; ETag + Cache-Control within its ttl)',
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: UUID } } },
      },
    },
    async (request, reply) => {
      const list = await status.publish(request.params.id);
      reply.header('etag', list.etag).header('cache-control', `public, max-age=${list.maxAgeSeconds}`).header('vary', 'accept-encoding');
      if (matches(request.headers['if-none-match'], list.etag)) return reply.status(304).send();
      return reply.type('application/vc').send(list.body);
    },
  );

  app.post<{ Body: StatusChangeBody }>(
    '/credentials/status',
    {
      schema: {
        tags: ['status'],
        security: [{ bearer: [] }],
        summary: 'Revoke, suspend or reinstate a credential (W3C VC-API); answers after commit',
        description: 'Only the issuing institution. Revocation is final (STATUS_REVOCATION_FINAL); suspension needs a suspension entry (STATUS_PURPOSE_NOT_ALLOCATED).',
        body: { $ref: 'https://microcred.eu/schemas/api.status-change.json#' },
        response: { 200: { $ref: 'https://microcred.eu/schemas/api.status-view.json#' } },
      },
    },
    async (request) => {
      const institution = await ctx.guards.requireInstitution(request);
      const actions = actionsOf(request.body);
      return status.change(institution, request.body.credentialId, actions, actorOf(request.principal!));
    },
  );
};
