import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { dropFile, issue, issueMicroCredential, launch, microCredential, serve, shot, SKIP_BROWSER, watchErrors, type Served } from './harness.js';

if (SKIP_BROWSER) console.warn('[browser] /usr/bin/chromium is missing and CI is not set: the browser suite is skipped (apt-get install chromium to run it).');

const TITLE = 'Digital micro-credential creation';

describe.skipIf(SKIP_BROWSER)('employer verification page (chromium)', () => {
  let s: Served;
  let browser: Browser;
  let context: BrowserContext;
  let mc: Record<string, unknown>;
  let jwtVc: Record<string, unknown>;
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    s = await serve();
    mc = await issueMicroCredential(s);
    jwtVc = await issue(s, {
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      type: ['VerifiableCredential'],
      issuer: s.inst.did,
      credentialSubject: { id: 'did:example:learner', name: 'Ana Andromeda' },
    }, 'vc+jwt');
    browser = await launch();
    context = await browser.newContext({ viewport: { width: 1100, height: 900 }, acceptDownloads: true });
    context.setDefaultTimeout(8_000);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await s?.t.close();
    if (Object.keys(timings).length > 0) console.info('[browser] time to verdict (ms):', JSON.stringify(timings));
  });

  async function open(path = '/'): Promise<{ page: Page; errors: string[] }> {
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(s.base + path);
    return { page, errors };
  }

  async function verdictAfterDrop(page: Page, name: string, doc: unknown): Promise<{ verdict: string; ms: number }> {
    const t0 = Date.now();
    await dropFile(page, `${name}.json`, JSON.stringify(doc));
    await waitResult(page);
    const ms = Date.now() - t0;
    return { verdict: (await page.locator('#verdict-h').textContent()) ?? '', ms };
  }

  /** Wait for the verdict; fail fast with the page's own message when it shows an error instead. */
  async function waitResult(page: Page): Promise<void> {
    await page.locator('#result:not([hidden]), #status.error').first().waitFor({ timeout: 15_000 });
    if (await page.locator('#status.error').count()) throw new Error(`page error: ${await page.locator('#status').textContent()}`);
  }

  const checkLine = (page: Page, check: string) => page.locator(`li.check[data-check="${check}"]`);

  it('serves the page from the service: own assets, strict CSP, no console errors', async () => {
    const { page, errors } = await open();
    await expect(page.locator('h1').textContent()).resolves.toBe('Check a credential');
    const res = await page.request.get(s.base + '/');
    expect(res.headers()['content-security-policy']).toContain("script-src 'self'");
    expect(await page.locator('main').count()).toBe(1);
    await shot(page, '01-empty');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('dropped valid micro-credential → "Valid", title and ECTS visible', async () => {
    const { page, errors } = await open();
    const { verdict, ms } = await verdictAfterDrop(page, 'micro-credential', mc);
    timings.edcSampleDrop = ms;
    timings.edcSamplePage = Number(await page.evaluate(() => document.body.dataset.verdictMs));
    expect(verdict).toBe('Valid');
    await expect(page.locator('#verdict-text').textContent()).resolves.toContain(TITLE);
    await expect(page.locator('dd[data-field="title"]').textContent()).resolves.toBe(TITLE);
    await expect(page.locator('dd[data-field="workload"]').textContent()).resolves.toContain('2 ECTS credits');
    await expect(checkLine(page, 'proof').getAttribute('data-status')).resolves.toBe('passed');
    await expect(checkLine(page, 'proof').locator('.check-text').textContent()).resolves.toBe('Signed by University of Zed, and not changed since.');
    // Focus moves to the verdict so screen readers announce it first.
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('verdict-h');
    await shot(page, '02-valid-micro-credential');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('tampered micro-credential → "Not valid" with the signature line failing', async () => {
    const { page } = await open();
    const tampered = structuredClone(mc) as { credentialSubject: { givenName?: unknown; fullName?: unknown } };
    tampered.credentialSubject.fullName = { en: 'Mallory Mallet' };
    tampered.credentialSubject.givenName = { en: 'Mallory' };
    const { verdict } = await verdictAfterDrop(page, 'tampered', tampered);
    expect(verdict).toBe('Not valid');
    await expect(checkLine(page, 'proof').getAttribute('data-status')).resolves.toBe('failed');
    await expect(checkLine(page, 'proof').locator('.check-status').textContent()).resolves.toBe('Failed');
    // The code is there on demand.
    await checkLine(page, 'proof').locator('summary').click();
    await expect(checkLine(page, 'proof').locator('.code').isVisible()).resolves.toBe(true);
    await shot(page, '03-tampered');
    await page.close();
  });

  it('pasted vc+jwt → verified', async () => {
    const { page, errors } = await open();
    const jwt = String(jwtVc.id).replace(/^data:application\/vc\+jwt,/, '');
    expect(jwt.split('.')).toHaveLength(3);
    await page.fill('#paste', jwt);
    await page.click('#check');
    await waitResult(page);
    await expect(page.locator('#verdict-h').textContent()).resolves.toBe('Valid');
    await expect(checkLine(page, 'proof').getAttribute('data-status')).resolves.toBe('passed');
    await expect(page.locator('dd[data-field="claim:name"]').textContent()).resolves.toBe('Ana Andromeda');
    await shot(page, '04-pasted-jwt');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('keyboard only: tab to the paste box, type, submit, verdict focused, details open with Enter', async () => {
    const { page } = await open();
    const jwt = String(jwtVc.id).replace(/^data:application\/vc\+jwt,/, '');
    let focused = '';
    for (let i = 0; i < 12 && focused !== 'paste'; i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => document.activeElement?.id ?? '');
    }
    expect(focused).toBe('paste');
    await page.keyboard.insertText(jwt);
    // Tab past the presentation options to the Check button, then Enter.
    for (let i = 0; i < 4 && focused !== 'check'; i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => document.activeElement?.id ?? '');
    }
    expect(focused).toBe('check');
    await page.keyboard.press('Enter');
    await waitResult(page);
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('verdict-h');
    // The first "Technical details" is reachable and opens from the keyboard.
    let tag = '';
    for (let i = 0; i < 8 && tag !== 'SUMMARY'; i++) {
      await page.keyboard.press('Tab');
      tag = await page.evaluate(() => document.activeElement?.tagName ?? '');
    }
    expect(tag).toBe('SUMMARY');
    await page.keyboard.press('Enter');
    await expect(page.locator('details.tech[open]').count()).resolves.toBe(1);
    await shot(page, '05-keyboard');
    await page.close();
  });

  it('phone width 375 px: no horizontal scrolling, verdict first', async () => {
    const phone = await browser.newContext({ viewport: { width: 375, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const page = await phone.newPage();
    await page.goto(s.base + '/');
    await shot(page, '06-phone-empty');
    await dropFile(page, 'mc.json', JSON.stringify(mc));
    await waitResult(page);
    const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    expect(widths.scroll).toBeLessThanOrEqual(widths.client);
    const box = await page.locator('#verdict').boundingBox();
    expect(box!.y).toBeLessThan(740);
    await shot(page, '07-phone-valid');
    await phone.close();
  });

  it('report download is the JSON report; print layout hides the input and shows every detail', async () => {
    const { page } = await open();
    await dropFile(page, 'mc.json', JSON.stringify(mc));
    await waitResult(page);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    expect(download.suggestedFilename()).toMatch(/^verification-report-\d{4}-\d{2}-\d{2}\.json$/);
    const saved = JSON.parse(readFileSync((await download.path())!, 'utf8')) as { report: { verdict: string; results: unknown[] } };
    expect(saved.report.verdict).toBe('valid');
    expect(saved.report.results.length).toBeGreaterThan(3);
    await page.emulateMedia({ media: 'print' });
    await expect(page.locator('#input-section').isVisible()).resolves.toBe(false);
    await expect(page.locator('#print-meta').isVisible()).resolves.toBe(true);
    await shot(page, '08-print');
    await page.close();
  });

  it('shared link renders the credential pre-verified; a wrong token explains itself', async () => {
    const id = String(mc.id);
    const res = await s.t.app.inject({ method: 'POST', url: `/credentials/${encodeURIComponent(id)}/share`, headers: s.inst.auth, payload: {} });
    expect(res.statusCode).toBe(201);
    const url = new URL(res.json<{ url: string }>().url);
    const { page, errors } = await open(url.pathname + url.search);
    await expect(page.locator('#verdict-h').textContent()).resolves.toBe('Valid');
    await expect(page.locator('#input-section').isVisible()).resolves.toBe(false);
    await expect(page.locator('dd[data-field="title"]').textContent()).resolves.toBe(TITLE);
    await shot(page, '09-shared-view');
    expect(errors).toEqual([]);
    await page.goto(`${s.base}${url.pathname}?token=not-a-real-token`);
    await expect(page.locator('#status').textContent()).resolves.toContain('not valid');
    await shot(page, '10-shared-bad-token');
    await page.close();
  });

  it('a ?credential= link to a credential on this service (a share link) is fetched and verified', async () => {
    const res = await s.t.app.inject({ method: 'POST', url: `/credentials/${encodeURIComponent(String(mc.id))}/share`, headers: s.inst.auth, payload: {} });
    const url = new URL(res.json<{ url: string }>().url);
    const { page, errors } = await open('/?credential=' + encodeURIComponent(url.pathname + url.search));
    await waitResult(page);
    await expect(page.locator('#verdict-h').textContent()).resolves.toBe('Valid');
    await expect(page.locator('dd[data-field="title"]').textContent()).resolves.toBe(TITLE);
    await shot(page, '13-credential-link');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a ?credential= link to another site is refused without fetching it', async () => {
    const { page } = await open('/?credential=' + encodeURIComponent('https://evil.example/cred.json'));
    await expect(page.locator('#status').textContent()).resolves.toContain('Only credentials on this service');
    await page.close();
  });

  it('revoked micro-credential → "Revoked"', async (ctx) => {
    // Needs the status module: POST /credentials/status (W3C VC-API) and credentialStatus on issued credentials.
    const canRevoke = s.t.app.hasRoute({ method: 'POST', url: '/credentials/status' });
    const withStatus = canRevoke ? await issueMicroCredential(s) : undefined;
    ctx.skip(!canRevoke || !withStatus?.credentialStatus, 'status lists not wired yet: POST /credentials/status missing or credentials carry no credentialStatus');
    const entry = ([] as Array<Record<string, unknown>>).concat(withStatus!.credentialStatus as never).find((e) => e.statusPurpose === 'revocation') ?? {};
    const r = await s.t.app.inject({
      method: 'POST', url: '/credentials/status', headers: s.inst.auth,
      payload: { credentialId: withStatus!.id, credentialStatus: [{ type: entry.type ?? 'BitstringStatusListEntry', status: 'revoked' }] },
    });
    expect(r.statusCode, r.body).toBeLessThan(300);
    const { page } = await open();
    const { verdict } = await verdictAfterDrop(page, 'revoked', withStatus);
    expect(verdict).toBe('Revoked');
    await expect(checkLine(page, 'status').getAttribute('data-status')).resolves.toBe('failed');
    await shot(page, '11-revoked');
    await page.close();
  });

  it('credential from an unaccredited issuer → accreditation line failing, signature line passing', async (ctx) => {
    // Declares the EDC "accredited" profile but no accreditation of this issuer is registered.
    const claim = { ...microCredential(s.inst.did), credentialProfiles: { id: 'http://data.europa.eu/snb/credential/6cf8e68c43', type: 'Concept' } };
    const vc = await issue(s, claim);
    const probe = await s.t.app.inject({ method: 'POST', url: '/web/verify', payload: { verifiableCredential: vc } });
    const checks = probe.json<{ report: { results: Array<{ check: string }> } }>().report.results.map((r) => r.check);
    ctx.skip(!checks.includes('accreditation'), 'trust/accreditation checks are not wired into the verifier yet');
    const { page } = await open();
    const { verdict } = await verdictAfterDrop(page, 'unaccredited', vc);
    expect(verdict).toBe('Not valid');
    await expect(checkLine(page, 'accreditation').getAttribute('data-status')).resolves.toBe('failed');
    await expect(checkLine(page, 'proof').getAttribute('data-status')).resolves.toBe('passed');
    await shot(page, '12-unaccredited');
    await page.close();
  });
});
