import { readdirSync, readFileSync } from 'node:fs';
import { schemasPath } from '../paths.js';
import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';

const SCHEMAS_DIR = `${schemasPath()}/`;

/** Load every JSON Schema under schemas/ (not contexts or data) that declares an $id. */
export function loadSchemas(): Array<Record<string, unknown> & { $id: string }> {
  const out: Array<Record<string, unknown> & { $id: string }> = [];
  for (const f of readdirSync(SCHEMAS_DIR)) {
    if (!f.endsWith('.json')) continue;
    const s = JSON.parse(readFileSync(`${SCHEMAS_DIR}${f}`, 'utf8')) as Record<string, unknown>;
    if (typeof s.$id !== 'string') continue;
    // Fastify's validator speaks draft-07; the $schema marker is informative only.
    const { $schema: _ignored, ...rest } = s;
    out.push(rest as Record<string, unknown> & { $id: string });
  }
  return out;
}

/** Register the shared schemas and serve the OpenAPI document and UI at /docs. */
export async function installOpenApi(app: FastifyInstance, opts: { publicUrl: string; version: string }): Promise<void> {
  for (const s of loadSchemas()) app.addSchema(s);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'microcred',
        version: opts.version,
        description:
          'Issue, verify and deliver European micro-credentials (ELM v3 / EDC) as W3C Verifiable Credentials. Errors are application/problem+json with a stable `code` (see docs/errors.md), except on the OID4VCI token, nonce and credential endpoints, which answer with OAuth error JSON (`error`, `error_description`) as OAuth 2.0 and OID4VCI require.',
        license: { name: 'EUPL-1.2', identifier: 'EUPL-1.2' },
      },
      servers: [{ url: opts.publicUrl }],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'Admin token or an institution API key.' },
          walletAccessToken: { type: 'http', scheme: 'bearer', description: "OID4VCI access token a wallet got from the institution's token endpoint (POST /issuers/{slug}/token); only the credential endpoint takes it." },
          metricsToken: { type: 'http', scheme: 'bearer', description: 'METRICS_TOKEN, when the deployment sets one, for GET /metrics.' },
        },
      },
    },
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => {
        const id = typeof json.$id === 'string' ? json.$id : `def-${i}`;
        return id.replace(/^.*\//, '').replace(/\.json$/, '').replace(/[^A-Za-z0-9._-]/g, '_');
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { deepLinking: true } });
}
