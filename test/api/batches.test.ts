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

    const countBatches = async () => (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM mc_batches')).rows[0]!.n;
    const postRaw = (payload: Buffer | string, contentType: string, headers: Record<string, string> = {}) =>
      t.app.inject({ method: 'POST', url: `/issuers/bt-a/batches?templateId=${templateId}`, headers: { ...a.auth, 'content-type': contentType, ...headers }, payload });

    it('a CSV that is not UTF-8 is refused whole: a declared charset → 415, undecodable bytes → 400 naming the line; nothing is stored', async () => {
      const before = await countBatches();
      const latin1 = Buffer.from('given_name,family_name\nAna,A\nJos\xe9,Mu\xf1oz\n', 'latin1');
      for (const charset of ['iso-8859-1', '"windows-1252"', 'UTF-16']) {
        const res = await postRaw(latin1, `text/csv; charset=${charset}`);
        expect([res.statusCode, res.json().code], res.body).toEqual([415, 'CSV_CHARSET_UNSUPPORTED']);
      }
      const bad = await postRaw(latin1, 'text/csv');
      expect([bad.statusCode, bad.json().code], bad.body).toEqual([400, 'CSV_ENCODING_INVALID']);
      expect(bad.json().details).toMatchObject({ line: 3 });
      // A byte sequence cut off at the end of the body is not UTF-8 either.
      const cut = await postRaw(Buffer.concat([Buffer.from('given_name,family_name\nAna,Zo'), Buffer.from([0xc3])]), 'text/csv; charset=utf-8');
      expect([cut.statusCode, cut.json().code, cut.json().details?.line]).toEqual([400, 'CSV_ENCODING_INVALID', 2]);
      expect(await countBatches()).toBe(before);
      const ok = await postRaw(Buffer.from('given_name,family_name\nZoë,Łukasiewicz\n', 'utf8'), 'text/csv; charset="UTF-8"');
      expect(ok.statusCode, ok.body).toBe(202);
      await waitDone(ok.headers.location as string, 60_000);
    });

    it('Idempotency-Key: a re-submitted batch returns the first answer and issues nothing again; another body with the key → 422', async () => {
      const csv = 'row_key,given_name,family_name\nstu-1,Ana,A\nstu-2,Bob,B\n';
      const first = await postRaw(csv, 'text/csv', { 'idempotency-key': 'batch-1' });
      expect(first.statusCode, first.body).toBe(202);
      const again = await postRaw(csv, 'text/csv', { 'idempotency-key': 'batch-1' });
      expect(again.statusCode, again.body).toBe(202);
      expect(again.json().id).toBe(first.json().id);
      expect(again.headers.location).toBe(first.headers.location);
      const other = await postRaw('row_key,given_name,family_name\nstu-3,Cid,C\n', 'text/csv', { 'idempotency-key': 'batch-1' });
      expect([other.statusCode, other.json().code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
      const bad = await postRaw(csv, 'text/csv', { 'idempotency-key': 'has space' });
      expect([bad.statusCode, bad.json().code]).toEqual([400, 'INVALID_IDEMPOTENCY_KEY']);
      await waitDone(first.headers.location as string, 60_000);
      const later = await postRaw(csv, 'text/csv', { 'idempotency-key': 'batch-1' });
      expect(later.json().id).toBe(first.json().id);
      const { rows } = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM mc_batches WHERE id = $1 OR id = $2 OR id = $3', [first.json().id, again.json().id, later.json().id]);
      expect(rows[0]!.n).toBe(1);
      // JSON batches: the same rules.
      const body = { templateId, rows: [{ rowKey: 'j1', learner: { givenName: 'Dee', familyName: 'D' } }] };
      const j1 = await t.app.inject({ method: 'POST', url: '/issuers/bt-a/batches', headers: { ...a.auth, 'idempotency-key': 'batch-j' }, payload: body });
      const j2 = await t.app.inject({ method: 'POST', url: '/issuers/bt-a/batches', headers: { ...a.auth, 'idempotency-key': 'batch-j' }, payload: body });
      expect([j1.statusCode, j2.statusCode]).toEqual([202, 202]);
      expect(j2.json().id).toBe(j1.json().id);
      const j3 = await t.app.inject({ method: 'POST', url: '/issuers/bt-a/batches', headers: { ...a.auth, 'idempotency-key': 'batch-j' }, payload: { ...body, rows: [{ learner: { givenName: 'Eve', familyName: 'E' } }] } });
      expect([j3.statusCode, j3.json().code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
      await waitDone(j1.headers.location as string, 60_000);
    });

    it('a CSV parse error names the failing data row and its line', async () => {
      const small = await postRaw('given_name,family_name\nA,B\n\nC,D\nBad\nE,F\n', 'text/csv');
      expect([small.statusCode, small.json().code]).toEqual([400, 'CSV_INVALID']);
      expect(small.json().details).toMatchObject({ row: 3, line: 5 });
      expect(small.json().detail).toMatch(/data row 3\b/);
      const lines = ['given_name,family_name'];
      for (let i = 1; i <= 3000; i++) lines.push(i === 2500 ? 'Bad' : `G${i},F${i}`);
      const big = await postRaw(`${lines.join('\n')}\n`, 'text/csv');
      expect([big.statusCode, big.json().code]).toEqual([400, 'CSV_INVALID']);
      expect(big.json().details).toMatchObject({ row: 2500, line: 2501 });
    });

    it('rows: keys the client did not send never collide with its keys, duplicates echo their key; impossible dates and names fail their row', async () => {
      const csv = 'row_key,given_name,family_name,date_of_birth,awarded_date\n'
        + '2,Ana,A,,\n'
        + ',Bob,B,,\n'
        + '2,Cid,C,,\n'
        + 'd1,Dee,D,,2099-12-31\n'
        + 'd2,Eve,E,2090-01-01,\n'
        + 'd3,Fay,F,2024-06-01,2024-05-01\n'
        + 'n1,"Multi\r\nLine",G,,\n';
      const res = await postRaw(csv, 'text/csv');
      expect(res.statusCode, res.body).toBe(202);
      const done = await waitDone(res.headers.location as string, 120_000);
      expect(done).toMatchObject({ total: 7, issued: 2, failed: 5 });
      const rows = await allRows(res.headers.location as string);
      expect(rows.map((r) => [r.row, r.rowKey, r.status, r.error?.code ?? null])).toEqual([
        [1, '2', 'issued', null],
        [2, null, 'issued', null],
        [3, '2', 'failed', 'ROW_KEY_DUPLICATE'],
        [4, 'd1', 'failed', 'AWARDED_DATE_IN_FUTURE'],
        [5, 'd2', 'failed', 'DATE_OF_BIRTH_IN_FUTURE'],
        [6, 'd3', 'failed', 'DATE_OF_BIRTH_AFTER_AWARD'],
        [7, 'n1', 'failed', 'INVALID_REQUEST'],
      ]);
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
