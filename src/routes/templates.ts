import type { FastifyPluginAsync } from 'fastify';
import type { RouteContext } from '../app.js';
import { actorOf } from '../plugins/auth.js';
import type { TemplateInput, TemplateRecord } from '../microcredentials/index.js';

const slugParams = { type: 'object', required: ['slug'], properties: { slug: { type: 'string', pattern: '^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$' } } } as const;
const idParams = { type: 'object', required: ['slug', 'id'], properties: { ...slugParams.properties, id: { type: 'string', minLength: 1, maxLength: 100 } } } as const;
const templateResponse = {
  type: 'object', additionalProperties: true,
  properties: { id: { type: 'string' }, name: { type: 'string' }, spec: { type: 'object', additionalProperties: true }, version: { type: 'integer' }, createdAt: { type: 'string' }, updatedAt: { type: 'string' } },
} as const;

const present = (t: TemplateRecord) => ({ id: t.id, name: t.name, spec: t.spec, version: t.version, createdAt: t.createdAt, updatedAt: t.updatedAt });

/** Micro-credential templates (course specifications) of an institution. */
export const templateRoutes: FastifyPluginAsync<RouteContext> = async (app, ctx) => {
  const { templates } = ctx.services.microcredentials;
  const common = { tags: ['micro-credentials'], security: [{ bearer: [] }] };

  app.post<{ Params: { slug: string }; Body: TemplateInput }>(
    '/issuers/:slug/templates',
    { schema: { ...common, summary: 'Create a template (validated like a request, without the learner)', params: slugParams, body: { $ref: 'https://microcred.eu/schemas/api.template.json#' }, response: { 201: templateResponse } } },
    async (request, reply) => {
      const institution = await ctx.guards.requireInstitution(request, request.params.slug);
      const rec = await templates.create(institution, request.body, actorOf(request.principal!));
      return reply.status(201).header('location', `/issuers/${institution.slug}/templates/${rec.id}`).send(present(rec));
    },
  );

  app.get<{ Params: { slug: string }; Querystring: { after?: string; limit?: number } }>(
    '/issuers/:slug/templates',
    {
      schema: {
        ...common, summary: 'List templates (oldest first, keyset paging)', params: slugParams,
        querystring: { type: 'object', additionalProperties: false, properties: { after: { type: 'string', maxLength: 100 }, limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 } } },
      },
    },
    async (request) => {
      const institution = await ctx.guards.requireInstitution(request, request.params.slug);
      const limit = request.query.limit ?? 50;
      const items = await templates.list(institution, { ...(request.query.after ? { after: request.query.after } : {}), limit });
      return { items: items.map(present), next: items.length === limit ? items[items.length - 1]!.id : null };
    },
  );

  app.get<{ Params: { slug: string; id: string } }>(
    '/issuers/:slug/templates/:id',
    { schema: { ...common, summary: 'Read a template', params: idParams, response: { 200: templateResponse } } },
    async (request) => {
      const institution = await ctx.guards.requireInstitution(request, request.params.slug);
      return present(await templates.get(institution, request.params.id));
    },
  );

  app.put<{ Params: { slug: string; id: string }; Body: TemplateInput }>(
    '/issuers/:slug/templates/:id',
    { schema: { ...common, summary: 'Replace a template (version bumps; send `version` to refuse concurrent edits)', params: idParams, body: { $ref: 'https://microcred.eu/schemas/api.template.json#' }, response: { 200: templateResponse } } },
    async (request) => {
      const institution = await ctx.guards.requireInstitution(request, request.params.slug);
      return present(await templates.update(institution, request.params.id, request.body, actorOf(request.principal!)));
    },
  );

  app.delete<{ Params: { slug: string; id: string } }>(
    '/issuers/:slug/templates/:id',
    { schema: { ...common, summary: 'Delete a template (hard delete: issued credentials and queued batches keep their own copy)', params: idParams, response: { 204: { type: 'null', description: 'Deleted; no body.' } } } },
    async (request, reply) => {
      const institution = await ctx.guards.requireInstitution(request, request.params.slug);
      await templates.remove(institution, request.params.id, actorOf(request.principal!));
      return reply.status(204).send();
    },
  );
};
