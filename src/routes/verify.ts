import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { RouteContext } from '../app.js';
import { publicRateLimit } from './rate-limit.js';
import type { InputFacts, VerificationReport } from '../verifying/index.js';
import { MAX_JSON_DEPTH, parsedBodyBytes } from '../plugins/json-body.js';

/** The request body was measured and depth-checked by the JSON parser, and is not read again. */
function bodyFacts(body: unknown): InputFacts {
  const bytes = parsedBodyBytes(body);
  return { owned: true, ...(bytes !== undefined ? { bounds: { bytes, maxDepth: MAX_JSON_DEPTH } } : {}) };
}

/** 200 verified; 400 when the input cannot even be read; 422 when a check failed or could not be completed. */
function sendReport(reply: FastifyReply, report: VerificationReport): FastifyReply {
  const unreadable = report.results.some((r) => r.check === 'format' && r.status === 'failed' && r.code === 'PARSING_ERROR');
  return reply.status(report.verified ? 200 : unreadable ? 400 : 422).send(report);
}

const reportSchema = { type: 'object', additionalProperties: true, description: 'Verification report: verdict, one result per check, summary, VC-API checks/warnings/errors.' };
// 400 is a report when the input cannot be read as a credential or presentation (PARSING_ERROR), and
// a problem when the request body does not match the route's schema (INVALID_REQUEST, MALFORMED_JSON…).
const verifyResponses = {
  200: reportSchema,
  400: {
    description: 'Unreadable input: a report whose format check failed with PARSING_ERROR (application/json); or a request body that does not match its schema: a problem (application/problem+json, INVALID_REQUEST, MALFORMED_JSON…) without a report.',
    content: {
      'application/json': { schema: reportSchema },
      'application/problem+json': { schema: { $ref: 'https://microcred.eu/schemas/api.problem.json#' } },
    },
  },
  422: reportSchema,
};

/** Public W3C VC-API verification, rate-limited per client. */
export const verifyRoutes: FastifyPluginAsync<RouteContext> = async (app, ctx) => {
  const { verifier } = ctx.services;
  const limited = publicRateLimit(ctx.config);

  app.post<{ Body: { verifiableCredential: unknown } }>(
    '/credentials/verify',
    {
      config: limited,
      schema: {
        tags: ['verifying'],
        summary: 'Verify a credential check by check (W3C VC-API)',
        description: 'Checks: format, issuer, proof, validity, status, trust, accreditation, completeness. 200 when valid, 422 when invalid or indeterminate, 400 when unreadable, with the report in the body; a body that does not match the request schema is a 400 problem+json instead.',
        body: { $ref: 'https://microcred.eu/schemas/api.verify-credential.json#' },
        response: verifyResponses,
      },
    },
    async (request, reply) => sendReport(reply, await verifier.verifyCredential(request.body.verifiableCredential, bodyFacts(request.body))),
  );

  app.post<{ Body: { verifiablePresentation: unknown; options?: { challenge?: string; domain?: string } } }>(
    '/presentations/verify',
    {
      config: limited,
      schema: {
        tags: ['verifying'],
        summary: 'Verify a presentation and every credential in it (W3C VC-API)',
        description: 'Checks of every credential, plus presentation (holder proof, challenge, domain, holder is the subject) and, for a challenge from /presentations/challenges, challenge (single use, not expired, the domain it was issued for). 200 when valid, 422 when invalid or indeterminate, 400 when unreadable, with the report in the body; a body that does not match the request schema is a 400 problem+json instead.',
        body: { $ref: 'https://microcred.eu/schemas/api.verify-presentation.json#' },
        response: verifyResponses,
      },
    },
    async (request, reply) => sendReport(reply, await verifier.verifyPresentation(request.body.verifiablePresentation, request.body.options ?? {}, bodyFacts(request.body))),
  );

  app.post<{ Body: { domain?: string } | undefined }>(
    '/presentations/challenges',
    {
      config: limited,
      schema: {
        tags: ['verifying'],
        summary: 'Get a fresh single-use challenge to put in a presentation request',
        body: { type: 'object', additionalProperties: false, properties: { domain: { type: 'string', minLength: 1, maxLength: 512 } } },
        response: { 201: { type: 'object', properties: { challenge: { type: 'string' }, domain: { type: 'string' }, expiresAt: { type: 'string' } } } },
      },
    },
    async (request, reply) => reply.status(201).header('cache-control', 'no-store').send(await verifier.createChallenge(request.body?.domain)),
  );
};
