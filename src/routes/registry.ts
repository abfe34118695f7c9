import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { RouteContext } from '../app.js';
import { BadRequestError } from '../errors.js';
import { RegistryNotFoundError, presentAccreditation, presentOrganisation } from '../trust/index.js';

const ORG = { $ref: 'https://microcred.eu/schemas/api.registry-organisation.json#' };
const ACC = { $ref: 'https://microcred.eu/schemas/api.registry-accreditation.json#' };
const UUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
// Registry entries change rarely and verifiers re-read them; a minute of caching is harmless.
const CACHE = 'public, max-age=60';

const cached = (reply: FastifyReply) => reply.header('cache-control', CACHE);

/** Public read API of the trust registry: organisations, accreditations, trust anchors. */
export const registryRoutes: FastifyPluginAsync<RouteContext> = async (app, ctx) => {
  const { registry } = ctx.services;
  const tags = ['registry'];

  const accreditation = async (id: string, reply: FastifyReply) => {
    const acc = await registry.getAccreditation(id);
    if (!acc) throw new RegistryNotFoundError('REGISTRY_ACCREDITATION_NOT_FOUND', `No accreditation ${id} in the trust registry.`);
    cached(reply);
    return presentAccreditation(acc);
  };

  app.get<{ Params: { id: string } }>(
    '/registry/organisations/:id',
    { schema: { tags, summary: 'Read a registry organisation by its registry id', params: { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: UUID } } }, response: { 200: ORG } } },
    async (request, reply) => {
      const org = await registry.getOrganisation(request.params.id.toLowerCase());
      if (!org) throw new RegistryNotFoundError('REGISTRY_ORGANISATION_NOT_FOUND', `No organisation ${request.params.id} in the trust registry.`);
      cached(reply);
      return presentOrganisation(org);
    },
  );

  app.get<{ Querystring: { did?: string; uri?: string } }>(
    '/registry/organisations',
    {
      schema: {
        tags,
        summary: 'Find registry organisations by DID or URI',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { did: { type: 'string', pattern: '^did:', maxLength: 2000 }, uri: { type: 'string', minLength: 1, maxLength: 2000 } },
        },
        response: { 200: { type: 'object', properties: { items: { type: 'array', items: ORG } } } },
      },
    },
    async (request, reply) => {
      const { did, uri } = request.query;
      if (!did && !uri) throw new BadRequestError('REGISTRY_QUERY_REQUIRED', 'Give ?did= or ?uri= to find organisations.');
      const items = await registry.findOrganisations({ dids: did ? [did] : [], uris: uri ? [uri] : [] });
      cached(reply);
      return { items: items.map(presentOrganisation) };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/registry/accreditations/:id',
    {
      schema: {
        tags,
        summary: 'Read an accreditation; its id is a URI, URL-encoded in the path',
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 2000 } } },
        response: { 200: ACC },
      },
    },
    async (request, reply) => accreditation(request.params.id, reply),
  );

  app.get<{ Querystring: { id: string } }>(
    '/registry/accreditations',
    {
      schema: {
        tags,
        summary: 'Read an accreditation by its URI given as ?id=',
        querystring: { type: 'object', additionalProperties: false, required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 2000 } } },
        response: { 200: ACC },
      },
    },
    async (request, reply) => accreditation(request.query.id, reply),
  );

  app.get(
    '/registry/trust-anchors',
    { schema: { tags, summary: 'The trusted quality-assurance agencies (trust anchors)', response: { 200: { type: 'object', properties: { items: { type: 'array', items: ORG } } } } } },
    async (_request, reply) => {
      cached(reply);
      return { items: (await registry.listTrustedAgencies()).map(presentOrganisation) };
    },
  );
};
