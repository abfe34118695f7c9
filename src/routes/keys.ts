import type { FastifyPluginAsync } from 'fastify';
import type { RouteContext } from '../app.js';
import { actorOf } from '../plugins/auth.js';
import type { KeyAlgorithm } from '../keys/types.js';
import type { KeyRow } from '../institutions/index.js';
import type { KeyRecord } from '../keys/index.js';

const slugParams = { type: 'object', required: ['slug'], properties: { slug: { type: 'string', pattern: '^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$' } } } as const;
const keySchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    algorithm: { type: 'string' },
    status: { type: 'string' },
    publicKeyMultibase: { type: 'string' },
    createdAt: { type: 'string' },
    retiredAt: { type: ['string', 'null'] },
  },
} as const;

/** Public view of a key: never the encrypted private part. */
function present(k: KeyRow<KeyRecord>) {
  return { id: k.id, algorithm: k.algorithm, status: k.status, publicKeyMultibase: k.record.publicKeyMultibase, createdAt: k.createdAt, retiredAt: k.retiredAt };
}

/** Key listing, rotation and retirement for an institution (its own token or the admin). */
export const keyRoutes: FastifyPluginAsync<RouteContext> = async (app, ctx) => {
  const { institutions } = ctx.services;
  const tags = ['keys'];
  const security = [{ bearer: [] }];

  app.get<{ Params: { slug: string } }>(
    '/issuers/:slug/keys',
    { schema: { tags, security, summary: 'List the institution keys (active and retired)', params: slugParams, response: { 200: { type: 'object', properties: { items: { type: 'array', items: keySchema } } } } } },
    async (request) => {
      await ctx.guards.requireAdminOrInstitution(request, request.params.slug);
      const inst = await institutions.getBySlug(request.params.slug);
      return { items: (await institutions.keysOf(inst.id)).map(present) };
    },
  );

  app.post<{ Params: { slug: string }; Body: { algorithms?: KeyAlgorithm[] } | undefined }>(
    '/issuers/:slug/keys/rotate',
    {
      schema: {
        tags,
        security,
        summary: 'Rotate keys: add new verification methods; new credentials and status lists are signed with them, old ones stay in the DID document',
        params: slugParams,
        body: {
          type: 'object',
          additionalProperties: false,
          properties: { algorithms: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: ['Ed25519', 'P-256'] } } },
        },
        response: { 201: { type: 'object', properties: { items: { type: 'array', items: keySchema } } } },
      },
    },
    async (request, reply) => {
      await ctx.guards.requireAdminOrInstitution(request, request.params.slug);
      const algorithms = request.body?.algorithms ?? ['Ed25519', 'P-256'];
      const keys = await institutions.rotateKeys(request.params.slug, algorithms, actorOf(request.principal!));
      return reply.status(201).send({ items: keys.map(present) });
    },
  );

  app.post<{ Params: { slug: string }; Body: { keyId: string } }>(
    '/issuers/:slug/keys/retire',
    {
      schema: {
        tags,
        security,
        summary: 'Retire a key: it leaves the DID document and credentials signed with it no longer verify',
        params: slugParams,
        body: { type: 'object', additionalProperties: false, required: ['keyId'], properties: { keyId: { type: 'string', minLength: 1, maxLength: 500 } } },
        response: { 200: keySchema },
      },
    },
    async (request) => {
      await ctx.guards.requireAdminOrInstitution(request, request.params.slug);
      return present(await institutions.retireKey(request.params.slug, request.body.keyId, actorOf(request.principal!)));
    },
  );
};
