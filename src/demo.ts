import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config.js';

/** The demo institution created in development. */
export const DEMO_SLUG = 'demo-university';

/**
 * Create the demo institution once (through the admin API, like any client would), keep its
 * API key under KEYS_DIR for later starts, and return the text that tells a newcomer how to issue.
 */
export async function ensureDemoInstitution(app: FastifyInstance, config: Config, adminToken: string): Promise<string> {
  const keyFile = join(config.keysDir, 'demo-api-key');
  const auth = { authorization: `Bearer ${adminToken}` };
  let res = await app.inject({ method: 'GET', url: `/admin/institutions/${DEMO_SLUG}`, headers: auth });
  if (res.statusCode === 404) {
    res = await app.inject({
      method: 'POST',
      url: '/admin/institutions',
      headers: auth,
      payload: {
        slug: DEMO_SLUG,
        legalName: 'Demo University of Applied Sciences',
        country: 'IE',
        legalIdentifiers: { eidas: 'NTRIE-000000', vat: 'IE0000000DEMO' },
        homepage: 'https://demo-university.example',
        settings: { displayName: 'Demo University' },
      },
    });
    if (res.statusCode !== 201) throw new Error(`could not create the demo institution: ${res.body}`);
    writeFileSync(keyFile, `${res.json<{ apiKey: string }>().apiKey}\n`, { mode: 0o600 });
    chmodSync(keyFile, 0o600);
  } else if (res.statusCode !== 200) {
    throw new Error(`could not read the demo institution: ${res.body}`);
  }
  const { did } = res.json<{ did: string }>();
  const apiKey = existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : '<lost: delete the data directory to recreate the demo>';
  const body = JSON.stringify({
    credential: {
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      type: ['VerifiableCredential'],
      credentialSubject: { id: 'did:example:learner', name: 'Ada Lovelace' },
    },
  });
  return [
    '',
    `Demo institution "${DEMO_SLUG}" is ready.`,
    `  DID:      ${did}`,
    `  API key:  ${apiKey}`,
    `  DID doc:  ${config.publicUrl}/issuers/${DEMO_SLUG}/did.json`,
    `  API docs: ${config.publicUrl}/docs`,
    '',
    'Issue a credential:',
    `  curl -s -X POST ${config.publicUrl}/credentials/issue \\`,
    `    -H 'Authorization: Bearer ${apiKey}' -H 'Content-Type: application/json' \\`,
    `    -d '${body}'`,
    '',
  ].join('\n');
}
