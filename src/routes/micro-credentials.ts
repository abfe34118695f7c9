import type { FastifyPluginAsync } from 'fastify';
import type { RouteContext } from '../app.js';
import { actorOf } from '../plugins/auth.js';
import { BadRequestError } from '../errors.js';
import type { IssueMicroCredentialBody } from '../microcredentials/index.js';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;
const slugParams = { type: 'object', required: ['slug'], properties: { slug: { type: 'string', pattern: '^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$' } } } as const;

/** Issue one European micro-credential from a request or a template. */
export const microCredentialRoutes: FastifyPluginAsync<RouteContext> = async (app, ctx) => {
  const service = ctx.services.microcredentials;

  app.post<{ Params: { slug: string }; Body: IssueMicroCredentialBody; Headers: { 'idempotency-key'?: string } }>(
    '/issuers/:slug/micro-credentials',
    {
      schema: {
        tags: ['micro-credentials'],
        security: [{ bearer: [] }],
        summary: 'Issue a micro-credential (ELM v3 EDC, VC 1.1, Data Integrity) from a request or a template',
        description: '201 {id, verifiableCredential, annexI, summary}. 400 INVALID_REQUEST / UNKNOWN_VOCABULARY_CODE (lists allowed values); 422 MICROCREDENTIAL_INCOMPLETE (lists every missing Annex I element), ACCREDITATION_NOT_FOUND. Idempotency-Key: same key + same body returns the same credential.',
        params: slugParams,
        headers: { type: 'object', properties: { 'idempotency-key': { type: 'string' } } },
        body: { $ref: 'https://microcred.eu/schemas/api.micro-credential-issue.json#' },
        response: { 201: { $ref: 'https://microcred.eu/schemas/api.micro-credential-result.json#' } },
      },
    },
    async (request, reply) => {
      const institution = await ctx.guards.requireInstitution(request, request.params.slug);
      const key = request.headers['idempotency-key'];
      if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
        throw new BadRequestError('INVALID_IDEMPOTENCY_KEY', 'Idempotency-Key must be 1–255 visible ASCII characters.');
      }
      const res = await service.issue(institution, request.body, actorOf(request.principal!), key);
      return reply.status(res.statusCode).send(res.body);
    },
  );
};
