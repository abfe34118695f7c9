import type { FastifyPluginAsync } from 'fastify';
import type { RouteContext } from '../app.js';
import { actorOf } from '../plugins/auth.js';
import type { InstitutionCreateInput } from '../institutions/index.js';

const slugParams = {
  type: 'object',
  required: ['slug'],
  properties: { slug: { type: 'string', pattern: '^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$' } },
} as const;

/** Admin API: create, list, read, disable and re-enable institutions. */
export const adminInstitutionRoutes: FastifyPluginAsync<RouteContext> = async (app, ctx) => {
  const { institutions } = ctx.services;
  const tags = ['admin'];
  const security = [{ bearer: [] }];

  app.post<{ Body: InstitutionCreateInput }>(
    '/admin/institutions',
    {
      schema: {
        tags,
        security,
        summary: 'Create an institution: keys, did:web DID and an API key (shown once)',
        body: { $ref: 'https://microcred.eu/schemas/api.institution-create.json#' },
        response: { 201: { $ref: 'https://microcred.eu/schemas/api.institution.json#' } },
      },
    },
    async (request, reply) => {
      await ctx.guards.requireAdmin(request);
      const created = await institutions.create(request.body, actorOf(request.principal!));
      return reply.status(201).header('location', `/admin/institutions/${created.institution.slug}`).send({
        ...institutions.present(created.institution),
        apiKey: created.apiKey,
      });
    },
  );

  app.get<{ Querystring: { after?: string; limit?: number } }>(
    '/admin/institutions',
    {
      schema: {
        tags,
        security,
        summary: 'List institutions (keyset paging by slug)',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { after: { type: 'string', maxLength: 63 }, limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
        },
      },
    },
    async (request) => {
      await ctx.guards.requireAdmin(request);
      const limit = request.query.limit ?? 50;
      const items = await institutions.list({ after: request.query.after, limit });
      return {
        items: items.map((i) => institutions.present(i)),
        next: items.length === limit ? items[items.length - 1]!.slug : null,
      };
    },
  );

  app.get<{ Params: { slug: string } }>(
    '/admin/institutions/:slug',
    { schema: { tags, security, summary: 'Read an institution', params: slugParams, response: { 200: { $ref: 'https://microcred.eu/schemas/api.institution.json#' } } } },
    async (request) => {
      await ctx.guards.requireAdmin(request);
      return institutions.present(await institutions.getBySlug(request.params.slug));
    },
  );

  app.patch<{ Params: { slug: string }; Body: { status: 'active' | 'disabled' } }>(
    '/admin/institutions/:slug',
    {
      schema: {
        tags,
        security,
        summary: 'Disable or re-enable an institution (a disabled one cannot issue; its DID and lists stay published)',
        params: slugParams,
        body: { type: 'object', additionalProperties: false, required: ['status'], properties: { status: { enum: ['active', 'disabled'] } } },
        response: { 200: { $ref: 'https://microcred.eu/schemas/api.institution.json#' } },
      },
    },
    async (request) => {
      await ctx.guards.requireAdmin(request);
      const updated = await institutions.setStatus(request.params.slug, request.body.status, actorOf(request.principal!));
      return institutions.present(updated);
    },
  );
};
