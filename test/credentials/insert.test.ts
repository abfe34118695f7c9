import { randomBytes, randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createServices, type Services } from '../../src/services.js';
import { insertCredential } from '../../src/credentials/repo.js';
import type { Actor } from '../../src/audit/index.js';
import type { InstitutionRecord } from '../../src/institutions/index.js';
import { describeStores } from '../helpers/stores.js';
import { smallV2 } from '../issuing/fixtures.js';

const admin: Actor = { kind: 'admin', id: 'test' };

// An issuance is one statement: credential, audit record and status links commit together or not at all.
describeStores('storing an issued credential', (getDb) => {
  let services: Services;
  let institution: InstitutionRecord;
  beforeAll(async () => {
    services = await createServices(loadConfig({ NODE_ENV: 'test', PUBLIC_URL: 'https://issuer.test' }), { db: getDb(), kek: randomBytes(32), adminToken: `admintoken_${randomBytes(16).toString('hex')}` });
    await services.institutions.create({ slug: 'store-u', legalName: 'Store University', country: 'BE', legalIdentifiers: { eidas: 'NTRBE-store' } } as never, admin);
    institution = await services.institutions.getBySlug('store-u');
  });

  const counts = async (id: string) => {
    const { rows } = await getDb().query<{ credentials: string; audits: string; links: string }>(
      `SELECT (SELECT count(*) FROM credentials WHERE id = $1) AS credentials,
              (SELECT count(*) FROM audit_log WHERE target_id = $1 AND action = 'credential.issued') AS audits,
              (SELECT count(*) FROM status_entries WHERE credential_id = $1) AS links`,
      [id],
    );
    return { credentials: Number(rows[0]!.credentials), audits: Number(rows[0]!.audits), links: Number(rows[0]!.links) };
  };
  const record = (id: string) => ({ id, institutionId: institution.id, mechanism: 'eddsa-rdfc-2022', format: 'ldp_vc', document: { id }, jwt: null, subjectId: null, kind: 'vc', issuedAt: new Date() });
  const audit = (id: string) => ({ actor: admin, institutionId: institution.id, action: 'credential.issued', targetType: 'credential', targetId: id, at: new Date() });

  let linked: { id: string; entry: { listId: string; index: number } };
  it('without a transaction around it, stores the credential, its audit record and links its entries', async () => {
    const credential = { ...smallV2() } as Record<string, unknown>;
    delete credential.issuer;
    const { record: rec, persist } = await services.credentials.signAndStore(institution, { credential }, admin);
    expect(persist.atomic).toBe(true);
    await persist(getDb());
    expect(await counts(rec.id)).toEqual({ credentials: 1, audits: 1, links: 1 });
    const { rows } = await getDb().query<{ list_id: string; idx: number }>('SELECT list_id, idx FROM status_entries WHERE credential_id = $1', [rec.id]);
    linked = { id: rec.id, entry: { listId: rows[0]!.list_id, index: Number(rows[0]!.idx) } };
  });

  it.each([
    ['an entry linked to another credential', () => [linked.entry]],
    ['an entry never reserved', () => [{ ...linked.entry, index: (linked.entry.index + 7) % 131072 }]],
    ['an entry of a list that does not exist', () => [{ listId: randomUUID(), index: 1 }]],
  ])('%s aborts it all with STATUS_ENTRY_CONFLICT', async (_name, entries) => {
    const id = `urn:uuid:${randomUUID()}`;
    await expect(insertCredential(getDb(), record(id), audit(id), entries())).rejects.toMatchObject({ code: 'STATUS_ENTRY_CONFLICT', status: 500 });
    expect(await counts(id)).toEqual({ credentials: 0, audits: 0, links: 0 });
  });

  it('a second credential with the same id writes nothing', async () => {
    await expect(insertCredential(getDb(), record(linked.id), audit(linked.id))).rejects.toMatchObject({ code: '23505' });
    expect(await counts(linked.id)).toEqual({ credentials: 1, audits: 1, links: 1 });
  });
});
