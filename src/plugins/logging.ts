import type { FastifyInstance } from 'fastify';

/** Paths pino must never print: auth headers, keys, tokens, codes, nonces, private key material. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'authorization',
  'apiKey',
  '*.apiKey',
  'adminToken',
  '*.adminToken',
  'token',
  '*.token',
  'access_token',
  '*.access_token',
  'pre-authorized_code',
  '*["pre-authorized_code"]',
  'tx_code',
  '*.tx_code',
  'c_nonce',
  '*.c_nonce',
  'privateKey',
  '*.privateKey',
  'privateKeyMultibase',
  '*.privateKeyMultibase',
  'encryptedPrivateKey',
  '*.encryptedPrivateKey',
  'd',
  '*.d',
  'kek',
  '*.kek',
];

// Query parameters that carry secrets (share tokens, learner links, OID4VCI codes).
const SECRET_QUERY = /([?&](?:token|code|pre-authorized_code|tx_code|access_token|nonce)=)[^&#]*/gi;

/** A URL with secret query values replaced, safe to log. */
export function redactUrl(url: string): string {
  return url.replace(SECRET_QUERY, '$1[Redacted]').replace(/(\/(?:learner-links|l)\/)[A-Za-z0-9_-]{16,}/g, '$1[Redacted]');
}

/** One log line per request, written when the response is sent. */
export function installRequestLog(app: FastifyInstance): void {
  app.addHook('onResponse', async (request, reply) => {
    const principal = request.principal;
    request.log.info(
      {
        method: request.method,
        url: redactUrl(request.url),
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
        ip: request.ip,
        ...(principal ? { principal: principal.kind === 'admin' ? 'admin' : principal.institution.slug } : {}),
      },
      'request',
    );
  });
}
