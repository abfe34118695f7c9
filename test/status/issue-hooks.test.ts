import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createServices } from '../../src/services.js';
import { openDb } from '../../src/store/index.js';
import type { Actor } from '../../src/audit/index.js';
import { annexSample, smallV1 } from '../issuing/fixtures.js';

const admin: Actor = { kind: 'admin', id: 'test' };

describe('issuing with status entries, and checking them on our own lists', async () => {
  const db = await openDb({});
  const services = await createServices(loadConfig({ NODE_ENV: 'test', PUBLIC_URL: 'https://issuer.test' }), { db, kek: randomBytes(32), adminToken: `admintoken_${randomBytes(16).toString('hex')}` });
  afterAll(async () => {
    await services.close();
    await db.close();
  });
  await services.institutions.create({ slug: 'hooks-u', legalName: 'Hooks University', country: 'BE', legalIdentifiers: { eidas: 'NTRBE-hooks' } } as never, admin);
  const institution = await services.institutions.getBySlug('hooks-u');

  it('the status check answers from the database in one statement per entry, with every refusal', async () => {
    const credential = smallV1();
    delete (credential as Record<string, unknown>).issuer;
    const { record } = await services.credentials.signAndStore(institution, { credential }, admin);
    const doc = record.document as Record<string, unknown> & { credentialStatus: Record<string, string> };
    const entry = doc.credentialStatus;
    const check = (credential: Record<string, unknown>, credentialStatus: Record<string, unknown>) => services.statusChecker!.check({ credential, credentialStatus } as never);
    expect(await check(doc, entry)).toMatchObject({ flagged: false });
    expect(await check({ ...doc, issuer: 'did:web:someone-else.example' }, entry)).toMatchObject({ flagged: true, code: 'STATUS_LIST_ISSUER_MISMATCH' });
    expect(await check(doc, { ...entry, statusPurpose: 'suspension' })).toMatchObject({ flagged: true, code: 'STATUS_PURPOSE_MISMATCH' });
    // An index far beyond any list (and beyond a 32-bit integer) is refused, not a database error.
    expect(await check(doc, { ...entry, statusListIndex: '999999999999999' })).toMatchObject({ flagged: true, code: 'STATUS_INDEX_OUT_OF_RANGE' });
    // An index inside the list that was never allocated reads as not set.
    const unused = String((Number(entry.statusListIndex) + 1) % 131072);
    expect(await check(doc, { ...entry, statusListIndex: unused })).toMatchObject({ flagged: false });
    await expect(check(doc, { ...entry, statusListCredential: entry.statusListCredential!.replace(/[0-9a-f]{12}$/, '000000000000') })).rejects.toMatchObject({ code: 'STATUS_RETRIEVAL_ERROR' });
  });

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
