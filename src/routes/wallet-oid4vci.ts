import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { RouteContext } from '../app.js';
import { OAuthError } from '../wallet/index.js';

const SLUG = { type: 'string', pattern: '^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$' } as const;
const slugParams = { type: 'object', required: ['slug'], properties: { slug: SLUG } } as const;
const FORM = 'application/x-www-form-urlencoded';

interface FormBody {
  params: Record<string, string>;
  /** A parameter that appeared more than once (refused by the handler as an OAuth error). */
  repeated?: string;
}

/** Parse a form body, noting repeated parameters (RFC 6749 §3.1 forbids them). */
function parseForm(text: string): FormBody {
  const params: Record<string, string> = {};
  let repeated: string | undefined;
  for (const [k, v] of new URLSearchParams(text)) {
    if (Object.hasOwn(params, k)) repeated ??= k;
    else params[k] = v;
  }
  return repeated ? { params, repeated } : { params };
}

/** Send an OAuth error body, never cached; invalid_token also gets its WWW-Authenticate challenge. */
function sendOAuth(reply: FastifyReply, err: OAuthError): FastifyReply {
  if (err.error === 'invalid_token') {
    reply.header('www-authenticate', `Bearer error="invalid_token", error_description="${err.message.replace(/["\\]/g, '')}"`);
  }
  return reply.status(err.status).header('cache-control', 'no-store').type('application/json').send(err.body());
}

async function oauth(reply: FastifyReply, work: () => Promise<unknown>): Promise<FastifyReply> {
  try {
    const body = await work();
    return reply.header('cache-control', 'no-store').type('application/json').send(body);
  } catch (err) {
    if (err instanceof OAuthError) return sendOAuth(reply, err);
    throw err;
  }
}

/** OID4VCI 1.0 protocol endpoints wallets call: metadata, offer by reference, token, nonce, credential; learner links. */
export const walletProtocolRoutes: FastifyPluginAsync<RouteContext> = async (app, ctx) => {
  const { wallet } = ctx.services;
  const tags = ['oid4vci'];

  // Encapsulated in this plugin: only the token endpoint takes form bodies.
  app.addContentTypeParser(FORM, { parseAs: 'string', bodyLimit: 8192 }, (_req, body, done) => done(null, parseForm(body as string)));

  const metadataRoute = (url: string, summary: string, get: (slug: string) => Promise<unknown>) =>
    app.get<{ Params: { slug: string } }>(url, { schema: { tags, summary, params: slugParams } }, async (request, reply) =>
      reply.header('cache-control', 'public, max-age=300').send(await get(request.params.slug)),
    );
  metadataRoute('/.well-known/openid-credential-issuer/issuers/:slug', 'Credential Issuer Metadata (OID4VCI 1.0 location)', (s) => wallet.issuerMetadata(s));
  metadataRoute('/issuers/:slug/.well-known/openid-credential-issuer', 'Credential Issuer Metadata (pre-1.0 location)', (s) => wallet.issuerMetadata(s));
  metadataRoute('/.well-known/oauth-authorization-server/issuers/:slug', 'OAuth Authorization Server Metadata (RFC 8414)', (s) => wallet.authorizationServerMetadata(s));
  metadataRoute('/issuers/:slug/.well-known/oauth-authorization-server', 'OAuth Authorization Server Metadata (legacy location)', (s) => wallet.authorizationServerMetadata(s));

  app.get<{ Params: { slug: string }; Querystring: { token: string } }>(
    '/issuers/:slug/credential-offer',
    {
      schema: {
        tags,
        summary: 'Credential offer by reference (credential_offer_uri)',
        params: slugParams,
        querystring: { type: 'object', required: ['token'], properties: { token: { type: 'string', pattern: '^[A-Za-z0-9_-]{43}$' } } },
      },
    },
    async (request, reply) => reply.header('cache-control', 'no-store').send(await wallet.offerByHandle(request.params.slug, request.query.token)),
  );

  app.post<{ Params: { slug: string }; Body: FormBody }>(
    '/issuers/:slug/token',
    {
      schema: {
        tags,
        summary: 'Token endpoint: pre-authorized code (+ tx_code) → access token bound to one offer',
        consumes: [FORM],
        params: slugParams,
        // Documentation only (the handler validates and answers with OAuth errors).
        body: {
          type: 'object',
          properties: {
            grant_type: { type: 'string', enum: ['urn:ietf:params:oauth:grant-type:pre-authorized_code'] },
            'pre-authorized_code': { type: 'string' },
            tx_code: { type: 'string' },
            resource: { type: 'string' },
          },
        },
      },
      // Validation failures must leave as OAuth errors, not problem+json.
      attachValidation: true,
    },
    async (request, reply) =>
      oauth(reply, async () => {
        if (request.headers['content-type']?.split(';')[0]?.trim() !== FORM) {
          throw new OAuthError('invalid_request', `The token request must be ${FORM}.`);
        }
        const form = request.body;
        if (form.repeated) throw new OAuthError('invalid_request', `Parameter "${form.repeated}" is repeated.`);
        return wallet.token(request.params.slug, form.params);
      }),
  );

  app.post<{ Params: { slug: string } }>(
    '/issuers/:slug/nonce',
    { schema: { tags, summary: 'Nonce endpoint: a fresh c_nonce for one key proof', params: slugParams } },
    async (request, reply) => oauth(reply, () => wallet.nonce(request.params.slug)),
  );

  app.post<{ Params: { slug: string }; Body: unknown }>(
    '/issuers/:slug/credential',
    {
      schema: {
        tags,
        summary: 'Credential endpoint: key proof → credential signed now and bound to the holder (ldp_vc or jwt_vc_json)',
        description: 'OID4VCI 1.0 request {credential_configuration_id, proofs: {jwt: [one proof]}} → {credentials: [{credential}]}; draft-13 {format, credential_definition, proof} → {credential, c_nonce}.',
        security: [{ bearer: [] }],
        params: slugParams,
      },
    },
    async (request, reply) => oauth(reply, () => wallet.credential(request.params.slug, request.headers.authorization, request.body)),
  );

  app.get<{ Params: { token: string } }>(
    '/l/:token',
    {
      schema: {
        tags: ['wallet'],
        summary: 'Learner link (one use): the credential file and a wallet offer for it',
        params: { type: 'object', required: ['token'], properties: { token: { type: 'string', pattern: '^[A-Za-z0-9_-]{43}$' } } },
      },
    },
    async (request, reply) => {
      const { verifiableCredential, offer, credentialId, institution } = await wallet.redeemLearnerLink(request.params.token);
      // The learner also gets a link to a pre-verified view to hand to employers.
      const share = await ctx.services.web.createShare({ institution, credentialId, actor: { kind: 'wallet', id: 'learner-link' } });
      return reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').send({ verifiableCredential, offer, share });
    },
  );
};
