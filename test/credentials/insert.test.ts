import { randomBytes, randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createServices, type Services } from '../../src/services.js';
import { createIssueWriter, insertCredential, insertCredentials } from '../../src/credentials/repo.js';
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

  /** Reserve `n` fresh entries of the institution's revocation list, as issuing does before signing. */
  const reserve = async (n: number) => {
    const { rows } = await getDb().query<{ id: string }>("SELECT id FROM status_lists WHERE institution_id = $1 AND purpose = 'revocation' AND state = 'open'", [institution.id]);
    const listId = rows[0]!.id;
    const { rows: taken } = await getDb().query<{ m: number | null }>('SELECT max(idx) AS m FROM status_entries WHERE list_id = $1', [listId]);
    const first = Number(taken[0]!.m ?? 0) + 1;
    await getDb().query('INSERT INTO status_entries (list_id, idx, reserved_at) SELECT $1, g, now() FROM generate_series($2::int, $3::int) g', [listId, first, first + n - 1]);
    return Array.from({ length: n }, (_, i) => ({ listId, index: first + i }));
  };
  const write = (entry?: { listId: string; index: number }, id = `urn:uuid:${randomUUID()}`) => ({ credential: record(id), audit: audit(id), entries: entry ? [entry] : [] });

  it('several issuances as one statement store every credential, audit record and link', async () => {
    const entries = await reserve(5);
    const writes = entries.map((e) => write(e));
    await insertCredentials(getDb(), writes);
    for (const w of writes) expect(await counts(w.credential.id)).toEqual({ credentials: 1, audits: 1, links: 1 });
  });

  it('a batch with one taken entry writes nothing', async () => {
    const entries = await reserve(3);
    const writes = [write(entries[0]), write(linked.entry), write(entries[1])];
    await expect(insertCredentials(getDb(), writes)).rejects.toMatchObject({ code: 'MC409' });
    for (const w of writes) expect(await counts(w.credential.id)).toEqual({ credentials: 0, audits: 0, links: 0 });
  });

  it('issuances written at once are batched; a bad one fails alone with its own error and the others are stored', async () => {
    const entries = await reserve(30);
    let statements = 0;
    const db = getDb();
    const counting = { query: (sql: string, params?: readonly unknown[]) => (statements++, db.query(sql, params)) } as typeof db;
    const writer = createIssueWriter(counting, { maxBatch: 8, maxInFlight: 1 });
    const good = entries.map((e) => write(e));
    const taken = write(linked.entry);
    const duplicate = write(undefined, linked.id);
    const all = [...good.slice(0, 12), taken, ...good.slice(12, 20), duplicate, ...good.slice(20)];
    const results = await Promise.allSettled(all.map((w) => writer.insert(w)));
    expect(results[all.indexOf(taken)]).toMatchObject({ status: 'rejected', reason: { code: 'STATUS_ENTRY_CONFLICT' } });
    expect(results[all.indexOf(duplicate)]).toMatchObject({ status: 'rejected', reason: { code: '23505' } });
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(30);
    for (const w of good) expect(await counts(w.credential.id)).toEqual({ credentials: 1, audits: 1, links: 1 });
    expect(await counts(linked.id)).toEqual({ credentials: 1, audits: 1, links: 1 });
    // 32 writes, one statement in flight: the first alone, then batches of 8, and the two
    // batches holding a bad write retried one by one: far fewer statements than writes.
    expect(statements).toBeLessThan(32);
  });

  it('batches hold at most maxBatchBytes of documents, and a write larger than that goes alone', async () => {
    const entries = await reserve(6);
    const sizes: number[] = [];
    const db = getDb();
    const counting = { query: (sql: string, params?: readonly unknown[]) => (sizes.push(sql.includes('t.credential_id') ? ((params?.length ?? 3) - 3) / 16 : sql.startsWith('WITH issued AS') ? 1 : 0), db.query(sql, params)) } as typeof db;
    const writer = createIssueWriter(counting, { maxBatch: 16, maxBatchBytes: 3000, maxInFlight: 1 });
    const sized = (e: { listId: string; index: number }, bytes: number) => {
      const w = write(e);
      return { ...w, credential: { ...w.credential, documentJson: JSON.stringify({ id: w.credential.id, pad: 'x'.repeat(bytes) }) } };
    };
    // The first goes at once (nothing in flight); of those waiting, two of ~1 KB fit under 3 KB,
    // the 5 KB one goes alone, then the last two together.
    await Promise.all([sized(entries[0]!, 1000), sized(entries[1]!, 1000), sized(entries[2]!, 1000), sized(entries[3]!, 5000), sized(entries[4]!, 1000), sized(entries[5]!, 1000)].map((w) => writer.insert(w)));
    expect(sizes).toEqual([1, 2, 1, 2]);
  });

  it('issuing through the service while others issue stores each credential once', async () => {
    const credential = () => {
      const c = { ...smallV2() } as Record<string, unknown>;
      delete c.issuer;
      return c;
    };
    const issued = await Promise.all(Array.from({ length: 24 }, () => services.credentials.issue({ institution, body: { credential: credential() }, actor: admin })));
    const ids = issued.map((r) => (r.body as { verifiableCredential: { id: string } }).verifiableCredential.id);
    expect(new Set(ids).size).toBe(24);
    for (const id of ids) expect(await counts(id)).toEqual({ credentials: 1, audits: 1, links: 1 });
  });
});
