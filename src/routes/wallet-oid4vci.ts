import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { RouteContext } from '../app.js';
import { publicRateLimit } from './rate-limit.js';
import { OAuthError } from '../wallet/index.js';

const SLUG = { type: 'string', pattern: '^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$' } as const;
const slugParams = { type: 'object', required: ['slug'], properties: { slug: SLUG } } as const;
const FORM = 'application/x-www-form-urlencoded';
const TOKEN_PARAMETERS = new Set(['grant_type', 'pre-authorized_code', 'tx_code', 'resource', 'authorization_details', 'client_id', 'scope']);
/** How the protocol endpoints fail, for the OpenAPI descriptions (the document's default is problem+json). */
const OAUTH_ERRORS = 'Errors are OAuth JSON objects {error, error_description} with Cache-Control: no-store, not problem+json.';

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

/** Send an OAuth error body, never cached; invalid_token and insufficient_scope also get their WWW-Authenticate challenge. */
function sendOAuth(reply: FastifyReply, err: OAuthError): FastifyReply {
  // The description is already reduced to characters a quoted-string may hold unescaped.
  if (err.bearerChallenge) reply.header('www-authenticate', `Bearer error="${err.error}", error_description="${err.message}"`);
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
        description: `With authorization_details (a JSON array of {type: "openid_credential", credential_configuration_id}) the token covers only those configurations of the offer, and the response lists them with their credential_identifiers. ${OAUTH_ERRORS}`,
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
            authorization_details: { type: 'string', description: 'JSON array of openid_credential authorization details (RFC 9396).' },
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
        // Only a parameter name this endpoint knows is named back; anything else is client input.
        if (form.repeated) throw new OAuthError('invalid_request', TOKEN_PARAMETERS.has(form.repeated) ? `Parameter ${form.repeated} is repeated.` : 'A parameter is repeated.');
        return wallet.token(request.params.slug, form.params);
      }),
  );

  // The nonce request is a bare POST (OID4VCI 1.0 §7.1): whatever body or content type a wallet
  // sends (some send Content-Type: application/json and nothing else) is read and ignored. Its own
  // encapsulated context keeps this from reaching the other routes, and its error handler keeps
  // even a refused body OAuth-shaped and uncached.
  await app.register(async (nonceScope) => {
    nonceScope.removeAllContentTypeParsers();
    nonceScope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 16_384 }, (_req, _body, done) => done(null, undefined));
    nonceScope.setErrorHandler(async (err: Error & { code?: string; statusCode?: number }, _request, reply) => {
      // Body-reading failures (too large, bad Content-Length) only; the rest is the app's to answer.
      if (err.code?.startsWith('FST_ERR_CTP_') && err.statusCode) {
        return sendOAuth(reply, new OAuthError('invalid_request', 'The nonce request body could not be read; send an empty POST.', err.statusCode));
      }
      throw err;
    });
    nonceScope.post<{ Params: { slug: string } }>(
      '/issuers/:slug/nonce',
      // Anonymous, and each call stores a nonce until it expires: the public endpoints' per-client budget.
      { config: publicRateLimit(ctx.config), schema: { tags, summary: 'Nonce endpoint: a fresh c_nonce for one key proof', description: `Any body (up to 16 KiB) or content type is accepted and ignored. ${OAUTH_ERRORS}`, params: slugParams } },
      async (request, reply) => oauth(reply, () => wallet.nonce(request.params.slug)),
    );
  });

  app.post<{ Params: { slug: string }; Body: unknown }>(
    '/issuers/:slug/credential',
    {
      schema: {
        tags,
        summary: 'Credential endpoint: key proof → credential signed now and bound to the holder (ldp_vc or vc+jwt)',
        description: `Authorization: Bearer <access_token from this issuer's token endpoint> (not an institution API key). OID4VCI 1.0 request {credential_configuration_id or credential_identifier, proofs: {jwt: [one proof]}} → {credentials: [{credential}]}; draft-13 {format, credential_definition, proof} → {credential, c_nonce}. A configuration the token does not cover is 403 insufficient_scope. ${OAUTH_ERRORS}`,
        // The wallet's access token, not the bearer of the institution API; the handler checks it.
        security: [{ walletAccessToken: [] }],
        params: slugParams,
        // Annotations only: the handler reads the request itself so that every refusal is an OAuth
        // error (invalid_credential_request…), never a schema problem+json.
        body: {
          content: {
            'application/json': {
              schema: {
                description: 'Credential request. OID4VCI 1.0: {credential_configuration_id | credential_identifier, proofs: {jwt: ["<openid4vci-proof+jwt>"]}} (one proof). Draft 13: {format, credential_definition: {type}, proof: {proof_type: "jwt", jwt}}.',
                examples: [
                  { credential_configuration_id: 'EuropeanDigitalCredential_ldp_vc', proofs: { jwt: ['<openid4vci-proof+jwt: aud, iat, nonce = c_nonce>'] } },
                  { credential_identifier: '<one of the token response credential_identifiers>', proofs: { jwt: ['<openid4vci-proof+jwt>'] } },
                  { format: 'ldp_vc', credential_definition: { type: ['VerifiableCredential', 'EuropeanDigitalCredential'] }, proof: { proof_type: 'jwt', jwt: '<openid4vci-proof+jwt>' } },
                ],
              },
            },
          },
        },
        response: {
          200: {
            description: 'The credential, signed now and bound to the holder key (Cache-Control: no-store). OID4VCI 1.0: {credentials: [{credential}]}; draft 13: {credential, c_nonce, c_nonce_expires_in}.',
            type: 'object', additionalProperties: true,
            properties: { credentials: { type: 'array', items: { type: 'object', additionalProperties: true, properties: { credential: {} } } } },
          },
        },
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
