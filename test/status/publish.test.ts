import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { describeStores } from '../helpers/stores.js';
import { createInstitutionService } from '../../src/institutions/index.js';
import { createDocumentLoader } from '../../src/jsonld/index.js';
import { allocateEntry, changeStatus, createPublisher, decodeList, getBit } from '../../src/status/index.js';

const TTL = 60_000;

describeStores('status list publication freshness', (getDb) => {
  it('serves the signed cache while fresh, re-signs past ttl/2 or at once after a change; max-age never exceeds the ttl', async () => {
    const db = getDb();
    let clock = new Date('2025-03-01T12:00:00Z').getTime();
    const now = () => new Date(clock);
    const institutions = createInstitutionService({ db, kek: randomBytes(32), publicUrl: 'https://issuer.test', now });
    const { institution } = await institutions.create({ slug: 'fresh-u', legalName: 'Fresh U', country: 'BE', legalIdentifiers: { eidas: 'NTRBE-1' } }, { kind: 'admin', id: 'admin' });
    const documentLoader = createDocumentLoader({ resolveDid: async () => ({}) });
    const pub = createPublisher({ db, institutions, documentLoader, publicUrl: 'https://issuer.test', ttlMs: TTL, now });
    const entry = await allocateEntry({ db, listSize: 16, now }, institution.id, 'revocation');
    const credentialId = 'urn:uuid:5d6f7a1e-0000-4000-8000-000000000001';
    await db.query("INSERT INTO credentials (id, institution_id, mechanism, format, document) VALUES ($1, $2, 'eddsa-rdfc-2022', 'ldp_vc', '{}')", [credentialId, institution.id]);
    await db.query('UPDATE status_entries SET credential_id = $1 WHERE list_id = $2 AND idx = $3', [credentialId, entry.listId, entry.index]);

    const first = await pub.get(entry.listId);
    expect(first.maxAgeSeconds).toBe(TTL / 1000);
    clock += TTL / 2 - 1000;
    const cached = await pub.get(entry.listId);
    expect(cached.body).toBe(first.body);
    expect(cached.maxAgeSeconds).toBe(TTL / 2000 + 1);
    clock += 2000;
    const resigned = await pub.get(entry.listId);
    expect(resigned.body).not.toBe(first.body);
    expect(resigned.maxAgeSeconds).toBe(TTL / 1000);
    expect(JSON.parse(resigned.body).validFrom).toBe(now().toISOString().replace(/\.\d{3}Z$/, 'Z'));

    await changeStatus(db, { publicUrl: 'https://issuer.test', institutionId: institution.id, credentialId, actions: [{ purpose: 'revocation', set: true }], actor: { kind: 'admin', id: 'admin' }, now: now() });
    const changed = await pub.get(entry.listId);
    expect(changed.version).toBe(resigned.version + 1);
    expect(getBit(decodeList(JSON.parse(changed.body).credentialSubject.encodedList), entry.index)).toBe(true);
  });
});
