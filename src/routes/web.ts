import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { RouteContext } from '../app.js';
import { publicRateLimit } from './rate-limit.js';
import { actorOf } from '../plugins/auth.js';
import { AppError } from '../errors.js';
import { jsonForHtml, loadWebAssets, pageHeaders, SHARE_MAX_DAYS, type Asset, type PageVerifyRequest } from '../web/index.js';

const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

function sendAsset(request: FastifyRequest, reply: FastifyReply, asset: Asset, versioned: boolean) {
  reply.headers(pageHeaders()).header('etag', asset.etag).header('cache-control', versioned ? IMMUTABLE : REVALIDATE).type(asset.contentType);
  const inm = request.headers['if-none-match'];
  if (inm && inm.split(',').some((t) => t.trim().replace(/^W\//, '') === asset.etag)) return reply.status(304).send();
  return reply.send(asset.body);
}

const verifyBody = {
  type: 'object',
  properties: {
    verifiableCredential: { anyOf: [{ type: 'object' }, { type: 'string', maxLength: 1_048_576 }] },
    verifiablePresentation: { anyOf: [{ type: 'object' }, { type: 'string', maxLength: 1_048_576 }] },
    options: { type: 'object', properties: { challenge: { type: 'string', maxLength: 512 }, domain: { type: 'string', maxLength: 512 } } },
  },
  oneOf: [{ required: ['verifiableCredential'] }, { required: ['verifiablePresentation'] }],
} as const;

/** The employer verification page, its assets, page verification, share links and the shared view. */
export const webRoutes: FastifyPluginAsync<RouteContext> = async (app, ctx) => {
  const assets = loadWebAssets();
  const { web } = ctx.services;

  app.get('/', { schema: { hide: true } }, async (request, reply) => sendAsset(request, reply, assets.index, false));

  app.get<{ Params: { name: string }; Querystring: { v?: string } }>(
    '/assets/:name',
    { schema: { hide: true, params: { type: 'object', properties: { name: { type: 'string', maxLength: 64 } } } } },
    async (request, reply) => {
      const asset = assets.get(request.params.name);
      if (!asset) throw new AppError('NOT_FOUND', 'No such asset.', 404);
      // Only the current version's URL may be cached forever; an old ?v= must revalidate.
      const versioned = asset.url.endsWith(`?v=${request.query.v ?? ''}`);
      return sendAsset(request, reply, asset, versioned);
    },
  );

  app.post<{ Body: PageVerifyRequest }>(
    '/web/verify',
    {
      // The same verification as POST /credentials/verify, so the same per-client budget.
      config: publicRateLimit(ctx.config),
      schema: {
        tags: ['verifying'],
        summary: 'Verify for the verification page: the VC-API report plus display data (ELM summary per language, Annex I elements)',
        description: 'Always 200 when the body has the right shape: the verdict is in `report`. Same verifier as POST /credentials/verify.',
        body: verifyBody,
      },
    },
    async (request) => web.verifyForPage(request.body),
  );

  app.post<{ Params: { id: string }; Body: { expiresInDays?: number } | undefined }>(
    '/credentials/:id/share',
    {
      schema: {
        tags: ['issuing'],
        security: [{ bearer: [] }],
        summary: 'Create a share link to a pre-verified view of an issued credential',
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 2000 } } },
        body: { type: ['object', 'null'], properties: { expiresInDays: { type: 'integer', minimum: 1, maximum: SHARE_MAX_DAYS } }, additionalProperties: false },
        response: { 201: { type: 'object', required: ['url', 'expiresAt'], properties: { url: { type: 'string' }, expiresAt: { type: 'string', format: 'date-time' } } } },
      },
    },
    async (request, reply) => {
      const institution = await ctx.guards.requireInstitution(request);
      const res = await web.createShare({ institution, credentialId: request.params.id, expiresInDays: request.body?.expiresInDays, actor: actorOf(request.principal!) });
      reply.header('cache-control', 'no-store');
      return reply.status(201).send(res);
    },
  );

  app.get<{ Params: { id: string }; Querystring: { token?: string } }>(
    '/credentials/:id/view',
    {
      schema: {
        tags: ['verifying'],
        summary: 'Shared, pre-verified HTML view of a credential (token from POST /credentials/{id}/share or a learner link); with Accept: application/json, the credential file',
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 2000 } } },
        querystring: { type: 'object', properties: { token: { type: 'string', maxLength: 200 } } },
      },
    },
    async (request, reply) => {
      // A program (or the page's ?credential= link) asking for JSON gets the credential file itself.
      const accept = request.headers.accept ?? '';
      if (/application\/(json|vc|ld\+json)/.test(accept) && !/text\/html/.test(accept)) {
        const rec = await web.sharedCredential(request.params.id, request.query.token ?? '');
        return reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').send({ verifiableCredential: rec.document });
      }
      let status = 200;
      let payload: unknown;
      try {
        payload = { shared: true, ...(await web.viewShared(request.params.id, request.query.token ?? '')) };
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500) throw err;
        // A person followed this link: answer with the page explaining the problem, not JSON.
        status = err.status;
        payload = { shared: true, error: { code: err.code, message: err.message } };
      }
      const html = assets.indexHtml.replace('</main>', `</main>\n<script type="application/json" id="preloaded">${jsonForHtml(payload)}</script>`);
      return reply.status(status).headers(pageHeaders()).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(html);
    },
  );
};
