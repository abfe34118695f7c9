import type { FastifyPluginAsync } from 'fastify';
import type { RouteContext } from '../app.js';
import { actorOf } from '../plugins/auth.js';
import { createRegistryAdmin, presentAccreditation, presentOrganisation, type AdminOrganisationInput } from '../trust/index.js';

const ORG = { $ref: 'https://microcred.eu/schemas/api.registry-organisation.json#' };
const ACC = { $ref: 'https://microcred.eu/schemas/api.registry-accreditation.json#' };
const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' } },
} as const;

/** Admin API of the trust registry: organisations, trust anchors, accreditation imports; every change audited. */
export const adminRegistryRoutes: FastifyPluginAsync<RouteContext> = async (app, ctx) => {
  const admin = createRegistryAdmin({ db: ctx.services.db, now: ctx.services.now });
  const tags = ['admin', 'registry'];
  const security = [{ bearer: [] }];

  app.post<{ Body: AdminOrganisationInput }>(
    '/admin/registry/organisations',
    {
      schema: {
        tags, security,
        summary: 'Create an organisation (201) or merge into the one sharing a DID, URI or legal identifier (200)',
        body: { $ref: 'https://microcred.eu/schemas/api.registry-organisation-input.json#' },
        response: { 200: ORG, 201: ORG },
      },
    },
    async (request, reply) => {
      await ctx.guards.requireAdmin(request);
      const { organisation, created } = await admin.upsertOrganisation(request.body, actorOf(request.principal!));
      return reply.status(created ? 201 : 200).header('location', `/registry/organisations/${organisation.id}`).send(presentOrganisation(organisation));
    },
  );

  app.patch<{ Params: { id: string }; Body: { status: 'active' | 'disabled' } }>(
    '/admin/registry/organisations/:id',
    {
      schema: {
        tags, security,
        summary: 'Disable or re-enable a registry organisation',
        params: idParams,
        body: { type: 'object', additionalProperties: false, required: ['status'], properties: { status: { enum: ['active', 'disabled'] } } },
        response: { 200: ORG },
      },
    },
    async (request) => {
      await ctx.guards.requireAdmin(request);
      return presentOrganisation(await admin.setStatus(request.params.id.toLowerCase(), request.body.status, actorOf(request.principal!)));
    },
  );

  app.put<{ Params: { id: string }; Body: { trusted: boolean } }>(
    '/admin/registry/organisations/:id/trust',
    {
      schema: {
        tags, security,
        summary: 'Make an organisation a trust anchor (it becomes a QA agency) or withdraw its trust',
        params: idParams,
        body: { type: 'object', additionalProperties: false, required: ['trusted'], properties: { trusted: { type: 'boolean' } } },
        response: { 200: ORG },
      },
    },
    async (request) => {
      await ctx.guards.requireAdmin(request);
      return presentOrganisation(await admin.setTrust(request.params.id.toLowerCase(), request.body.trusted, actorOf(request.principal!)));
    },
  );

  app.post<{ Body: Record<string, unknown> }>(
    '/admin/registry/accreditations',
    {
      schema: {
        tags, security,
        summary: 'Import an accreditation: QDR-framed JSON or an ELM Accreditation node (never grants trust)',
        body: { type: 'object', additionalProperties: true, description: 'QDR-framed accreditation or ELM Accreditation node' },
        response: { 200: ACC, 201: ACC },
      },
    },
    async (request, reply) => {
      await ctx.guards.requireAdmin(request);
      const { accreditation, created } = await admin.importAccreditation(request.body, actorOf(request.principal!));
      return reply.status(created ? 201 : 200)
        .header('location', `/registry/accreditations/${encodeURIComponent(accreditation.id)}`)
        .send(presentAccreditation(accreditation));
    },
  );
};
