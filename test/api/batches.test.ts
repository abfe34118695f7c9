import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { storeKinds } from '../helpers/stores.js';
import { courseSpec, csvOf, fullRequest } from '../microcredentials/fixtures.js';

// 10,000 rows take minutes on a 2-core machine (signing dominates): only with FULL_TESTS/CI.
const BIG = process.env.FULL_TESTS || process.env.CI ? 10_000 : 500;

for (const kind of storeKinds) {
  describe(`/issuers/{slug}/batches [${kind}]`, () => {
    let t: TestApp;
    let a: Awaited<ReturnType<TestApp['createInstitution']>>;
    let b: Awaited<ReturnType<TestApp['createInstitution']>>;
    let templateId: string;

    const postCsv = (csv: string, query: string, auth = a.auth, slug = 'bt-a') =>
      t.app.inject({ method: 'POST', url: `/issuers/${slug}/batches?${query}`, headers: { ...auth, 'content-type': 'text/csv' }, payload: csv });
    const get = (url: string, auth = a.auth) => t.app.inject({ method: 'GET', url, headers: auth });
    async function waitDone(url: string, timeoutMs: number) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const view = (await get(url)).json();
        if (view.status === 'done') return view;
        if (Date.now() > end) throw new Error(`batch not done: ${JSON.stringify(view)}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    async function allRows(url: string, status?: string) {
      const out: { row: number; rowKey: string; status: string; credentialId: string | null; error: { code: string; message: string } | null }[] = [];
      let after = 0;
      for (;;) {
        const page = (await get(`${url}/rows?limit=1000&after=${after}${status ? `&status=${status}` : ''}`)).json();
        out.push(...page.items);
        if (page.next === null) return out;
        after = page.next;
      }
    }

    beforeAll(async () => {
      t = await buildTestApp({ kind });
      a = await t.createInstitution('bt-a');
      b = await t.createInstitution('bt-b');
      templateId = (await t.app.inject({ method: 'POST', url: '/issuers/bt-a/templates', headers: a.auth, payload: { name: 'Course', spec: courseSpec } })).json().id;
    });
    afterAll(async () => t.close());

    it(`a ${BIG}-row CSV batch completes with correct counts; the one bad row fails alone, reported by number`, { timeout: BIG > 1000 ? 3_600_000 : 300_000 }, async () => {
      const badRow = Math.ceil(BIG / 2);
      const res = await postCsv(csvOf(BIG, { [badRow]: { date_of_birth: 'yesterday' } }), `templateId=${templateId}`);
      expect(res.statusCode, res.body).toBe(202);
      expect(res.json()).toMatchObject({ status: 'queued', total: BIG, issued: 0, failed: 0, pending: BIG, templateId });
      const url = res.headers.location as string;
      const done = await waitDone(url, BIG > 1000 ? 3_500_000 : 280_000);
      expect(done).toMatchObject({ total: BIG, issued: BIG - 1, failed: 1, pending: 0 });
      const failed = await allRows(url, 'failed');
      expect(failed).toHaveLength(1);
      expect(failed[0]).toMatchObject({ row: badRow, rowKey: `k${badRow}`, status: 'failed', credentialId: null, error: { code: 'INVALID_REQUEST' } });
      expect(failed[0]!.error!.message).toMatch(/schema/);
      const issued = await allRows(url, 'issued');
      expect(issued.map((r) => r.row)).toEqual(Array.from({ length: BIG }, (_, i) => i + 1).filter((n) => n !== badRow));
      const ids = new Set(issued.map((r) => r.credentialId));
      expect(ids.size).toBe(BIG - 1);
      const { rows } = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM credentials c JOIN mc_batch_rows r ON r.credential_id = c.id WHERE r.batch_id = $1 AND c.kind = 'micro-credential'`, [done.id]);
      expect(rows[0]?.n).toBe(BIG - 1);
      const one = (await t.app.inject({ method: 'GET', url: `/credentials/${encodeURIComponent(issued[0]!.credentialId!)}`, headers: a.auth })).json();
      expect(JSON.stringify(one.verifiableCredential)).toContain('Family1');
    });

    it('JSON rows: full requests without a template, per-row failures with codes (vocabulary, Annex I, duplicate key)', async () => {
      const res = await t.app.inject({
        method: 'POST', url: '/issuers/bt-a/batches', headers: a.auth,
        payload: { rows: [
          { rowKey: 'x1', ...fullRequest },
          { rowKey: 'x2', ...fullRequest, participation: { mode: 'telepathic' } },
          { rowKey: 'x3', learner: fullRequest.learner, title: 'Bare' },
          { rowKey: 'x1', ...fullRequest },
        ] },
      });
      expect(res.statusCode, res.body).toBe(202);
      const done = await waitDone(res.headers.location as string, 120_000);
      expect(done).toMatchObject({ total: 4, issued: 1, failed: 3, pending: 0 });
      const rows = await allRows(res.headers.location as string);
      expect(rows.map((r) => [r.row, r.status, r.error?.code ?? null])).toEqual([
        [1, 'issued', null], [2, 'failed', 'UNKNOWN_VOCABULARY_CODE'], [3, 'failed', 'MICROCREDENTIAL_INCOMPLETE'], [4, 'failed', 'ROW_KEY_DUPLICATE'],
      ]);
      // Wallet offers for what the batch issued: one per issued row, paged; failed rows get none.
      const offers = await t.app.inject({ method: 'POST', url: `${res.headers.location as string}/offers?limit=10`, headers: a.auth, payload: { tx_code: true } });
      expect(offers.statusCode, offers.body).toBe(200);
      expect(offers.json().offers.map((o: { credential_id: string }) => o.credential_id)).toEqual([rows[0]!.credentialId]);
      expect(offers.json().offers[0].deep_link).toMatch(/^openid-credential-offer:\/\//);
      expect(offers.json().offers[0].tx_code).toMatch(/^\d+$/);
      expect(offers.json().next).toBeNull();
      const foreign = await t.app.inject({ method: 'POST', url: `${res.headers.location as string}/offers`.replace('bt-a', 'bt-b'), headers: b.auth, payload: {} });
      expect([foreign.statusCode, foreign.json().code]).toEqual([404, 'BATCH_NOT_FOUND']);
    });

    it('refuses bad uploads as a whole and keeps nothing', async () => {
      const before = (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM mc_batches')).rows[0]!.n;
      const cases: [Promise<{ statusCode: number; json: () => { code: string } }>, number, string][] = [
        [postCsv(csvOf(3), ''), 400, 'BATCH_TEMPLATE_REQUIRED'],
        [postCsv('given_name,family_name,shoe_size\nA,B,42\n', `templateId=${templateId}`), 400, 'CSV_INVALID'],
        [postCsv('given_name\nA\n', `templateId=${templateId}`), 400, 'CSV_INVALID'],
        [postCsv('given_name,family_name\nA,B\n"C,D\n', `templateId=${templateId}`), 400, 'CSV_INVALID'],
        [postCsv('given_name,family_name\n', `templateId=${templateId}`), 400, 'BATCH_EMPTY'],
        [postCsv(csvOf(2), `templateId=${templateId}&mechanism=vc%2Bjwt`), 400, 'JOSE_REQUIRES_VC2'],
        [postCsv(csvOf(2), 'templateId=00000000-0000-4000-8000-000000000000'), 404, 'TEMPLATE_NOT_FOUND'],
      ];
      for (const [p, status, code] of cases) {
        const res = await p;
        expect([res.statusCode, res.json().code]).toEqual([status, code]);
      }
      const after = (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM mc_batches')).rows[0]!.n;
      expect(after).toBe(before);
    });

    it('isolation: another institution gets 403 on the slug and 404 for the batch id', async () => {
      const res = await postCsv(csvOf(1), `templateId=${templateId}`);
      const id = res.json().id;
      expect((await get(`/issuers/bt-a/batches/${id}`, b.auth)).statusCode).toBe(403);
      const own = await get(`/issuers/bt-b/batches/${id}`, b.auth);
      expect([own.statusCode, own.json().code]).toEqual([404, 'BATCH_NOT_FOUND']);
      expect((await get(`/issuers/bt-b/batches/${id}/rows`, b.auth)).statusCode).toBe(404);
      const foreignTemplate = await postCsv(csvOf(1), `templateId=${templateId}`, b.auth, 'bt-b');
      expect([foreignTemplate.statusCode, foreignTemplate.json().code]).toEqual([404, 'TEMPLATE_NOT_FOUND']);
      await waitDone(`/issuers/bt-a/batches/${id}`, 60_000);
    });
  });
}
