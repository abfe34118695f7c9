import type { FastifyPluginAsync } from 'fastify';
import type { RouteContext } from '../app.js';

/** Public did:web documents of our institutions. */
export const didRoutes: FastifyPluginAsync<RouteContext> = async (app, ctx) => {
  app.get<{ Params: { slug: string } }>(
    '/issuers/:slug/did.json',
    {
      schema: {
        tags: ['did'],
        summary: 'DID document of an institution (did:web)',
        params: { type: 'object', required: ['slug'], properties: { slug: { type: 'string', pattern: '^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$' } } },
      },
    },
    async (request, reply) => {
      const doc = await ctx.services.institutions.didDocument(request.params.slug);
      return reply.type('application/did+json').header('cache-control', 'public, max-age=300').send(doc);
    },
  );
};
