import type { FastifyPluginAsync } from 'fastify';
import type { RouteContext } from '../app.js';
import { actorOf } from '../plugins/auth.js';
import type { IssueRequestBody } from '../credentials/index.js';
import { BadRequestError } from '../errors.js';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** W3C VC-API issuing and credential read. */
export const credentialRoutes: FastifyPluginAsync<RouteContext> = async (app, ctx) => {
  const { credentials } = ctx.services;

  app.post<{ Body: IssueRequestBody; Headers: { 'idempotency-key'?: string } }>(
    '/credentials/issue',
    {
      schema: {
        tags: ['issuing'],
        security: [{ bearer: [] }],
        summary: 'Issue a credential (W3C VC-API) with Data Integrity or vc+jwt',
        description: 'Idempotency-Key header: same key + same body returns the same credential; same key + another body → 422.',
        headers: { type: 'object', properties: { 'idempotency-key': { type: 'string' } } },
        body: { $ref: 'https://microcred.eu/schemas/api.credentials-issue.json#' },
        response: { 201: { type: 'object', properties: { verifiableCredential: { type: 'object', additionalProperties: true } } } },
      },
    },
    async (request, reply) => {
      const institution = await ctx.guards.requireInstitution(request);
      const key = request.headers['idempotency-key'];
      if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
        throw new BadRequestError('INVALID_IDEMPOTENCY_KEY', 'Idempotency-Key must be 1–255 visible ASCII characters.');
      }
      const res = await credentials.issue({ institution, body: request.body, idempotencyKey: key, actor: actorOf(request.principal!) });
      if (res.json !== undefined) return reply.status(res.statusCode).type('application/json; charset=utf-8').send(res.json);
      return reply.status(res.statusCode).send(res.body);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/credentials/:id',
    {
      schema: {
        tags: ['issuing'],
        security: [{ bearer: [] }],
        summary: 'Read an issued credential (owning institution only)',
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 2000 } } },
      },
    },
    async (request) => {
      const institution = await ctx.guards.requireInstitution(request);
      const rec = await credentials.get(request.params.id, institution);
      return { id: rec.id, mechanism: rec.mechanism, format: rec.format, issuedAt: rec.issuedAt, verifiableCredential: rec.document };
    },
  );
};
