import type { FastifyPluginAsync } from 'fastify';
import type { RouteContext } from '../app.js';
import { queryAudit } from '../audit/index.js';

interface AuditQs {
  action?: string;
  from?: string;
  to?: string;
  before?: string;
  limit?: number;
  institution?: string;
}

const SLUG = '^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$';
const filters = {
  action: { type: 'string', pattern: '^[a-z][a-z0-9_.-]{0,99}$', description: 'e.g. credential.issued, credential.revoked, key.created' },
  from: { type: 'string', format: 'date-time', description: 'Records at or after this time.' },
  to: { type: 'string', format: 'date-time', description: 'Records before this time.' },
  before: { type: 'string', pattern: '^[1-9][0-9]{0,18}$', description: 'The `next` cursor of the previous page.' },
  limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
} as const;
const response = { 200: { $ref: 'https://microcred.eu/schemas/api.audit-page.json#' } };

const range = (q: AuditQs) => ({
  ...(q.action ? { action: q.action } : {}),
  ...(q.from ? { from: new Date(q.from) } : {}),
  ...(q.to ? { to: new Date(q.to) } : {}),
  ...(q.before ? { before: q.before } : {}),
  limit: q.limit ?? 100,
});

/** Read-only audit log API (there is deliberately no write route; the table refuses UPDATE/DELETE). */
export const auditRoutes: FastifyPluginAsync<RouteContext> = async (app, ctx) => {
  const { institutions, db } = ctx.services;

  app.get<{ Params: { slug: string }; Querystring: AuditQs }>(
    '/issuers/:slug/audit',
    {
      schema: {
        tags: ['audit'],
        security: [{ bearer: [] }],
        summary: "An institution's audit records, newest first (the institution itself or admin)",
        params: { type: 'object', required: ['slug'], properties: { slug: { type: 'string', pattern: SLUG } } },
        querystring: { type: 'object', additionalProperties: false, properties: filters },
        response,
      },
    },
    async (request) => {
      await ctx.guards.requireAdminOrInstitution(request, request.params.slug);
      const inst = await institutions.getBySlug(request.params.slug);
      return queryAudit(db, { institutionId: inst.id, ...range(request.query) });
    },
  );

  app.get<{ Querystring: AuditQs }>(
    '/admin/audit',
    {
      schema: {
        tags: ['audit', 'admin'],
        security: [{ bearer: [] }],
        summary: 'All audit records, newest first (admin); optionally one institution',
        querystring: { type: 'object', additionalProperties: false, properties: { ...filters, institution: { type: 'string', pattern: SLUG } } },
        response,
      },
    },
    async (request) => {
      await ctx.guards.requireAdmin(request);
      const inst = request.query.institution ? await institutions.getBySlug(request.query.institution) : undefined;
      return queryAudit(db, { ...(inst ? { institutionId: inst.id } : {}), ...range(request.query) });
    },
  );
};
