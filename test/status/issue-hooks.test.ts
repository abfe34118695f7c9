import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createServices } from '../../src/services.js';
import { openDb } from '../../src/store/index.js';
import type { Actor } from '../../src/audit/index.js';
import { annexSample, smallV1 } from '../issuing/fixtures.js';

const admin: Actor = { kind: 'admin', id: 'test' };

describe('issuing with status entries', async () => {
  const db = await openDb({});
  const services = await createServices(loadConfig({ NODE_ENV: 'test', PUBLIC_URL: 'https://issuer.test' }), { db, kek: randomBytes(32), adminToken: `admintoken_${randomBytes(16).toString('hex')}` });
  afterAll(async () => {
    await services.close();
    await db.close();
  });
  await services.institutions.create({ slug: 'hooks-u', legalName: 'Hooks University', country: 'BE', legalIdentifiers: { eidas: 'NTRBE-hooks' } } as never, admin);
  const institution = await services.institutions.getBySlug('hooks-u');

  it.each([['VC 1.1', smallV1], ['ELM Annex I', annexSample]] as const)('%s: the caller\'s credential is left as it was (its @context array included)', async (_n, make) => {
    const credential = make();
    delete (credential as Record<string, unknown>).issuer;
    const before = structuredClone(credential);
    for (const mechanism of ['eddsa-rdfc-2022', 'Ed25519Signature2020'] as const) {
      const { record } = await services.credentials.signAndStore(institution, { credential, options: { mechanism } }, admin);
      expect(credential).toEqual(before);
      // VC 1.1 has no status terms: the signed copy gains the status context, the input does not.
      expect(record.document['@context']).toContain('https://www.w3.org/ns/credentials/status/v1');
      expect(record.document).toHaveProperty('credentialStatus');
    }
  });
});
