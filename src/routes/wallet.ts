import type { FastifyPluginAsync } from 'fastify';
import type { RouteContext } from '../app.js';
import { actorOf } from '../plugins/auth.js';
import type { IssueRequestBody } from '../credentials/index.js';
import type { OfferOptions } from '../wallet/index.js';
import { walletProtocolRoutes } from './wallet-oid4vci.js';

const SLUG = { type: 'string', pattern: '^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$' } as const;
const ID = { type: 'string', minLength: 1, maxLength: 2000 } as const;
const OFFER_RESULT = { $ref: 'https://microcred.eu/schemas/api.wallet-offer-result.json#' };

interface OfferBody {
  tx_code?: boolean;
  credential_configuration_ids?: string[];
  ttl_seconds?: number;
  qr?: boolean;
}

/** Offers made for many credentials: the offers, and per-credential errors that did not stop the rest. */
const OFFER_BATCH_RESULT = {
  offers: { type: 'array', items: OFFER_RESULT },
  errors: { type: 'array', items: { type: 'object', properties: { credential_id: { type: 'string' }, code: { type: 'string' }, message: { type: 'string' } } } },
} as const;

function offerOptions(b: OfferBody | undefined, qrDefault: boolean): OfferOptions {
  return {
    ...(b?.tx_code !== undefined ? { txCode: b.tx_code } : {}),
    ...(b?.credential_configuration_ids ? { configurationIds: b.credential_configuration_ids } : {}),
    ...(b?.ttl_seconds !== undefined ? { ttlSeconds: b.ttl_seconds } : {}),
    qr: b?.qr ?? qrDefault,
  };
}

/** Institution side of wallet delivery: prepared credentials, offers (one or a batch), offer state, learner links. */
export const walletRoutes: FastifyPluginAsync<RouteContext> = async (app, ctx) => {
  // The public protocol endpoints live in their own (encapsulated) plugin: it adds a form parser.
  await app.register(walletProtocolRoutes, ctx);
  const { wallet } = ctx.services;
  const tags = ['wallet'];
  const security = [{ bearer: [] }];

  app.post<{ Params: { slug: string }; Body: IssueRequestBody }>(
    '/issuers/:slug/credentials/prepared',
    {
      schema: {
        tags,
        security,
        summary: 'Prepare a credential for wallet delivery (signed when the wallet fetches it, bound to the holder)',
        description: 'Same body as /credentials/issue. The credential must have one credentialSubject and no id. Returns the prepared id to make offers or learner links for.',
        params: { type: 'object', required: ['slug'], properties: { slug: SLUG } },
        body: { $ref: 'https://microcred.eu/schemas/api.credentials-issue.json#' },
        response: { 201: { type: 'object', properties: { id: { type: 'string' }, created_at: { type: 'string' } } } },
      },
    },
    async (request, reply) => {
      const inst = await ctx.guards.requireInstitution(request, request.params.slug);
      const res = await wallet.prepare(inst, request.body, actorOf(request.principal!));
      return reply.status(201).send(res);
    },
  );

  app.post<{ Params: { slug: string; id: string }; Body: OfferBody | undefined }>(
    '/issuers/:slug/credentials/:id/offers',
    {
      schema: {
        tags,
        security,
        summary: 'Create an OID4VCI credential offer (pre-authorized code, optional tx_code) with deep link and QR code',
        description: 'id: a prepared credential, or an issued one (then the wallet receives a holder-bound re-issue of the same claims with a new id; the link is recorded).',
        params: { type: 'object', required: ['slug', 'id'], properties: { slug: SLUG, id: ID } },
        body: { $ref: 'https://microcred.eu/schemas/api.wallet-offer.json#' },
        response: { 201: OFFER_RESULT },
      },
    },
    async (request, reply) => {
      const inst = await ctx.guards.requireInstitution(request, request.params.slug);
      const res = await wallet.offer(inst, request.params.id, offerOptions(request.body, true), actorOf(request.principal!));
      return reply.status(201).header('cache-control', 'no-store').send(res);
    },
  );

  app.post<{ Params: { slug: string }; Body: OfferBody & { credential_ids: string[] } }>(
    '/issuers/:slug/offers/batch',
    {
      schema: {
        tags,
        security,
        summary: 'Create offers for many prepared or issued credentials; per-id errors do not stop the rest',
        params: { type: 'object', required: ['slug'], properties: { slug: SLUG } },
        body: { $ref: 'https://microcred.eu/schemas/api.wallet-offer-batch.json#' },
        response: {
          200: { type: 'object', properties: OFFER_BATCH_RESULT },
        },
      },
    },
    async (request, reply) => {
      const inst = await ctx.guards.requireInstitution(request, request.params.slug);
      const res = await wallet.offerBatch(inst, request.body.credential_ids, offerOptions(request.body, false), actorOf(request.principal!));
      return reply.header('cache-control', 'no-store').send(res);
    },
  );

  app.post<{ Params: { slug: string; id: string }; Querystring: { after?: number; limit?: number }; Body: OfferBody | undefined }>(
    '/issuers/:slug/batches/:id/offers',
    {
      schema: {
        tags,
        security,
        summary: 'Create wallet offers for the credentials a bulk batch issued, one page of issued rows per call (follow `next`)',
        params: { type: 'object', required: ['slug', 'id'], properties: { slug: SLUG, id: { type: 'string', format: 'uuid' } } },
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { after: { type: 'integer', minimum: 0 }, limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 } },
        },
        body: { $ref: 'https://microcred.eu/schemas/api.wallet-batch-offers.json#' },
        response: {
          200: {
            type: 'object',
            properties: { ...OFFER_BATCH_RESULT, next: { type: ['integer', 'null'], description: 'Pass as ?after= for the next page; null when done.' } },
          },
        },
      },
    },
    async (request, reply) => {
      const inst = await ctx.guards.requireInstitution(request, request.params.slug);
      const page = await ctx.services.microcredentials.batchRows(inst, request.params.id, { status: 'issued', after: request.query.after, limit: request.query.limit ?? 100 });
      const ids = page.items.map((r) => r.credentialId).filter((id): id is string => typeof id === 'string');
      const res = ids.length ? await wallet.offerBatch(inst, ids, offerOptions(request.body, false), actorOf(request.principal!)) : { offers: [], errors: [] };
      return reply.header('cache-control', 'no-store').send({ ...res, next: page.next });
    },
  );

  app.get<{ Params: { slug: string; offerId: string } }>(
    '/issuers/:slug/offers/:offerId',
    {
      schema: {
        tags,
        security,
        summary: 'State of an offer (offered, redeemed, locked, expired) and its deliveries',
        params: { type: 'object', required: ['slug', 'offerId'], properties: { slug: SLUG, offerId: { type: 'string', maxLength: 64 } } },
      },
    },
    async (request) => {
      const inst = await ctx.guards.requireInstitution(request, request.params.slug);
      return wallet.offerState(inst, request.params.offerId);
    },
  );

  app.post<{ Params: { slug: string; id: string } }>(
    '/issuers/:slug/credentials/:id/learner-link',
    {
      schema: {
        tags,
        security,
        summary: 'One-time download link for a learner without a wallet (credential file + a wallet offer)',
        params: { type: 'object', required: ['slug', 'id'], properties: { slug: SLUG, id: ID } },
        response: { 201: { type: 'object', properties: { url: { type: 'string' }, expires_at: { type: 'string' } } } },
      },
    },
    async (request, reply) => {
      const inst = await ctx.guards.requireInstitution(request, request.params.slug);
      const res = await wallet.learnerLink(inst, request.params.id, actorOf(request.principal!));
      return reply.status(201).header('cache-control', 'no-store').send(res);
    },
  );
};
