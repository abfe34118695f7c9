import type { FastifyPluginAsync } from 'fastify';
import type { RouteContext } from '../app.js';
import { actorOf } from '../plugins/auth.js';
import { issueAccreditationCredential, presentAccreditation, type VerifyCredentialFn } from '../trust/index.js';

/** A QA agency that is an institution here issues signed accreditation credentials. */
export const accreditationRoutes: FastifyPluginAsync<RouteContext> = async (app, ctx) => {
  const { services } = ctx;
  // Proof and issuer identity are what the chain needs from the verifier; trust is decided by the chain itself.
  const verifyCredential: VerifyCredentialFn = async (vc) => {
    const report = await services.verifier.verifyCredential(vc);
    const ok = (name: string) => report.results.some((r) => r.check === name && r.status === 'passed');
    return { verified: ok('proof') && ok('issuer'), issuer: report.summary.issuer ?? '' };
  };

  app.post<{ Params: { slug: string }; Body: Record<string, unknown> }>(
    '/issuers/:slug/accreditations',
    {
      schema: {
        tags: ['registry', 'issuing'],
        security: [{ bearer: [] }],
        summary: 'Issue a signed accreditation credential (the institution must be a trusted QA agency and the accreditation\'s accrediting agent)',
        params: { type: 'object', required: ['slug'], properties: { slug: { type: 'string', pattern: '^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$' } } },
        body: { type: 'object', additionalProperties: true, description: 'ELM Accreditation node or QDR-framed accreditation' },
        response: {
          201: {
            type: 'object',
            properties: {
              accreditation: { $ref: 'https://microcred.eu/schemas/api.registry-accreditation.json#' },
              verifiableCredential: { type: 'object', additionalProperties: true },
            },
          },
        },
      },
    },
    async (request, reply) => {
      const inst = await ctx.guards.requireInstitution(request, request.params.slug);
      const actor = actorOf(request.principal!);
      const { accreditation, credential } = await issueAccreditationCredential(
        {
          db: services.db,
          registry: services.registry,
          now: services.now,
          signAndStore: (c) => services.credentials.signAndStore(inst, { credential: c, options: { mechanism: 'eddsa-rdfc-2022' } }, actor, 'accreditation'),
          verifyCredential,
        },
        { did: inst.did, legalName: inst.legalName, institutionId: inst.id },
        request.body,
        actor,
      );
      return reply.status(201)
        .header('location', `/registry/accreditations/${encodeURIComponent(accreditation.id)}`)
        .send({ accreditation: presentAccreditation(accreditation), verifiableCredential: credential });
    },
  );
};
