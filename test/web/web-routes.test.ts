import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { storeKinds } from '../helpers/stores.js';
import { jsonForHtml, loadWebAssets, PAGE_CSP } from '../../src/web/index.js';
import { microCredential } from '../browser/harness.js';

const DAY = 86_400_000;

for (const kind of storeKinds) {
  describe(`web page routes (${kind})`, () => {
    let t: TestApp;
    let clock = new Date('2026-03-01T10:00:00Z');
    let inst: Awaited<ReturnType<TestApp['createInstitution']>>;
    let other: Awaited<ReturnType<TestApp['createInstitution']>>;
    let mc: Record<string, unknown>;

    beforeAll(async () => {
      t = await buildTestApp({ kind, deps: { now: () => clock } });
      inst = await t.createInstitution('zed');
      other = await t.createInstitution('other');
      const res = await t.app.inject({ method: 'POST', url: '/credentials/issue', headers: inst.auth, payload: { credential: microCredential(inst.did) } });
      expect(res.statusCode, res.body).toBe(201);
      mc = res.json<{ verifiableCredential: Record<string, unknown> }>().verifiableCredential;
    });
    afterAll(async () => t?.close());

    it('GET / serves the page with a strict CSP, ETag and 304 on revalidation', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['content-security-policy']).toBe(PAGE_CSP);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.body).not.toMatch(/https?:\/\/(?!www\.w3\.org)/); // no CDN, no external fonts
      expect(res.body).not.toMatch(/<script>(?!<)/); // no inline script
      const etag = String(res.headers.etag);
      const again = await t.app.inject({ method: 'GET', url: '/', headers: { 'if-none-match': etag } });
      expect(again.statusCode).toBe(304);
      expect(again.body).toBe('');
    });

    it('assets: content types, immutable only for the current version, unknown names 404', async () => {
      const assets = loadWebAssets();
      for (const [name, type] of [['app.js', 'text/javascript; charset=utf-8'], ['style.css', 'text/css; charset=utf-8'], ['icon.svg', 'image/svg+xml']] as const) {
        const url = assets.get(name)!.url;
        const res = await t.app.inject({ method: 'GET', url });
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toBe(type);
        expect(res.headers['cache-control']).toContain('immutable');
        const stale = await t.app.inject({ method: 'GET', url: `/assets/${name}?v=old` });
        expect(stale.headers['cache-control']).toBe('no-cache');
      }
      for (const bad of ['/assets/nope.js', '/assets/..%2Fservice.ts', '/assets/index.html']) {
        expect((await t.app.inject({ method: 'GET', url: bad })).statusCode).toBe(404);
      }
      const w = assets.weight();
      expect(w.total).toBeLessThan(60_000);
    });

    it('POST /web/verify: report plus ELM display; tampered → invalid with PROOF_VERIFICATION_ERROR', async () => {
      const ok = await t.app.inject({ method: 'POST', url: '/web/verify', payload: { verifiableCredential: mc } });
      expect(ok.statusCode).toBe(200);
      const body = ok.json<{ kind: string; report: { verdict: string }; credentials: Array<{ elm: boolean; summaries: Record<string, { title: string; ects: number }>; annexI: { complete: boolean } }> }>();
      expect(body.kind).toBe('credential');
      expect(body.report.verdict).toBe('valid');
      expect(body.credentials[0]!.summaries.en!.title).toBe('Digital micro-credential creation');
      expect(body.credentials[0]!.summaries.en!.ects).toBe(2);
      expect(body.credentials[0]!.annexI.complete).toBe(true);
      const tampered = { ...mc, validFrom: '2020-01-01T00:00:00Z' };
      const bad = await t.app.inject({ method: 'POST', url: '/web/verify', payload: { verifiableCredential: tampered } });
      const rep = bad.json<{ report: { verdict: string; results: Array<{ check: string; code?: string }> } }>().report;
      expect(rep.verdict).toBe('invalid');
      expect(rep.results.find((r) => r.check === 'proof')?.code).toBe('PROOF_VERIFICATION_ERROR');
      for (const payload of [{}, { options: {} }, { verifiableCredential: mc, verifiablePresentation: mc }]) {
        expect((await t.app.inject({ method: 'POST', url: '/web/verify', payload })).statusCode).toBe(400);
      }
      const garbage = await t.app.inject({ method: 'POST', url: '/web/verify', payload: { verifiableCredential: 'not a credential' } });
      expect(garbage.statusCode).toBe(200);
      expect(garbage.json<{ report: { verdict: string }; credentials: unknown[] }>()).toMatchObject({ report: { verdict: 'invalid' }, credentials: [null] });
    });

    it('share links: owner only, token stored hashed, audited; view pre-verified; wrong and expired tokens explained', async () => {
      const id = encodeURIComponent(String(mc.id));
      expect((await t.app.inject({ method: 'POST', url: `/credentials/${id}/share`, payload: {} })).statusCode).toBe(401);
      const foreign = await t.app.inject({ method: 'POST', url: `/credentials/${id}/share`, headers: other.auth, payload: {} });
      expect(foreign.statusCode).toBe(404);
      expect(foreign.json<{ code: string }>().code).toBe('CREDENTIAL_NOT_FOUND');
      expect((await t.app.inject({ method: 'POST', url: `/credentials/${id}/share`, headers: inst.auth, payload: { expiresInDays: 0 } })).statusCode).toBe(400);

      const res = await t.app.inject({ method: 'POST', url: `/credentials/${id}/share`, headers: inst.auth, payload: { expiresInDays: 7 } });
      expect(res.statusCode).toBe(201);
      const { url, expiresAt } = res.json<{ url: string; expiresAt: string }>();
      expect(Date.parse(expiresAt) - clock.getTime()).toBe(7 * DAY);
      const u = new URL(url);
      expect(u.origin).toBe('https://issuer.test');
      const token = u.searchParams.get('token')!;
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const { rows } = await t.db.query<{ token_hash: string }>('SELECT token_hash FROM credential_share_tokens');
      expect(rows.map((r) => r.token_hash)).not.toContain(token);
      const audit = await t.db.query<{ action: string; detail: unknown }>("SELECT action, detail FROM audit_log WHERE action = 'credential.shared'");
      expect(audit.rows).toHaveLength(1);
      expect(JSON.stringify(audit.rows[0]!.detail)).not.toContain(token);

      const view = await t.app.inject({ method: 'GET', url: u.pathname + u.search });
      expect(view.statusCode).toBe(200);
      expect(view.headers['cache-control']).toBe('no-store');
      expect(view.headers['referrer-policy']).toBe('no-referrer');
      const pre = /<script type="application\/json" id="preloaded">(.*?)<\/script>/s.exec(view.body)![1]!;
      const data = JSON.parse(pre) as { shared: boolean; report: { verdict: string } };
      expect(data).toMatchObject({ shared: true, report: { verdict: 'valid' } });

      const wrong = await t.app.inject({ method: 'GET', url: `${u.pathname}?token=${'A'.repeat(43)}` });
      expect(wrong.statusCode).toBe(404);
      expect(wrong.body).toContain('SHARE_LINK_INVALID');
      const otherCred = await t.app.inject({ method: 'GET', url: `/credentials/${encodeURIComponent('urn:uuid:someone-else')}/view?token=${token}` });
      expect(otherCred.statusCode).toBe(404);
      clock = new Date(clock.getTime() + 8 * DAY);
      const expired = await t.app.inject({ method: 'GET', url: u.pathname + u.search });
      expect(expired.statusCode).toBe(410);
      expect(expired.body).toContain('SHARE_LINK_EXPIRED');
    });
  });
}

describe('jsonForHtml', () => {
  it('cannot break out of a script element', () => {
    const out = jsonForHtml({ a: '</script><script>alert(1)</script>', b: '<!--', c: '\u2028&' });
    expect(out).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(out)).toEqual({ a: '</script><script>alert(1)</script>', b: '<!--', c: '\u2028&' });
  });
});
