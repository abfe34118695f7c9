import { fileURLToPath } from 'node:url';
/** Browser-test harness: Debian's chromium through playwright-core, the real service on 127.0.0.1, screenshots. */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/app.js';

export const CHROMIUM = '/usr/bin/chromium';
/** Skip only on a developer machine without chromium; CI must run the suite. */
export const SKIP_BROWSER = !existsSync(CHROMIUM) && !process.env.CI;
export const SHOTS = new URL('../../test-output/browser/', import.meta.url);
// The shared reference folder sits beside the repository (CI and development alike).
export const SAMPLE = fileURLToPath(new URL('../../../shared/reference/edc/elm/samples/Sample-MC-Annex1-unsigned.jsonld', import.meta.url));

/** Start chromium headless with the flags the project allows (no downloads, no background traffic). */
export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

/** The running service with one institution. */
export interface Served {
  t: TestApp;
  base: string;
  inst: { slug: string; did: string; apiKey: string; auth: { authorization: string } };
}

/** Build the app, listen on an ephemeral port, create an institution. */
export async function serve(slug = 'zed'): Promise<Served> {
  const t = await buildTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const addr = t.app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no address');
  const inst = await t.createInstitution(slug, { legalName: 'University of Zed', country: 'IE' });
  return { t, base: `http://127.0.0.1:${addr.port}`, inst };
}

/** Issue a credential through the API; returns the issued verifiable credential. */
export async function issue(s: Served, credential: Record<string, unknown>, mechanism?: string): Promise<Record<string, unknown>> {
  const res = await s.t.app.inject({ method: 'POST', url: '/credentials/issue', headers: s.inst.auth, payload: { credential, ...(mechanism ? { options: { mechanism } } : {}) } });
  if (res.statusCode !== 201) throw new Error(`issue failed: ${res.statusCode} ${res.body}`);
  return res.json<{ verifiableCredential: Record<string, unknown> }>().verifiableCredential;
}

// The sample lacks Annex I's "type of quality assurance"; add it the way the ELM builder does (a note in the accreditation-type scheme).
const QA_NOTE = {
  id: 'urn:epass:note:qa-1',
  type: 'Note',
  noteLiteral: { en: 'Institutional quality assurance by the national agency' },
  subject: {
    id: 'http://data.europa.eu/snb/accreditation/bb4618238e',
    type: 'Concept',
    inScheme: { id: 'http://data.europa.eu/snb/accreditation/25831c2', type: 'ConceptScheme' },
    prefLabel: { en: 'Institutional Quality Assurance' },
  },
};

/** The official EDC Annex I sample, completed with its quality-assurance type, with our institution as issuer. */
export function microCredential(did: string): Record<string, unknown> {
  const sample = JSON.parse(readFileSync(SAMPLE, 'utf8')) as Record<string, any>;
  const claim = ([] as Array<Record<string, any>>).concat(sample.credentialSubject.hasClaim)[0]!;
  const spec = ([] as Array<Record<string, any>>).concat(claim.specifiedBy)[0]!;
  spec.additionalNote = [QA_NOTE];
  return { ...sample, id: `urn:uuid:${randomUUID()}`, issuer: { ...(sample.issuer as object), id: did } };
}

/** Issue a micro-credential: through POST /issuers/{slug}/micro-credentials when that endpoint exists, else the sample. */
export async function issueMicroCredential(s: Served): Promise<Record<string, unknown>> {
  return issue(s, microCredential(s.inst.did));
}

/** Drop text as a file onto the page's drop zone, as a user dragging a file would. */
export async function dropFile(page: Page, name: string, text: string): Promise<void> {
  const dt = await page.evaluateHandle(([n, body]) => {
    const d = new DataTransfer();
    d.items.add(new File([body!], n!, { type: 'application/json' }));
    return d;
  }, [name, text]);
  await page.dispatchEvent('#drop', 'dragenter', { dataTransfer: dt });
  await page.dispatchEvent('#drop', 'drop', { dataTransfer: dt });
}

/** Save a full-page screenshot under test-output/browser/. */
export async function shot(page: Page, name: string): Promise<string> {
  mkdirSync(SHOTS, { recursive: true });
  const path = new URL(`${name}.png`, SHOTS).pathname;
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Collects console errors, page errors and CSP violations; a clean page has none. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  return errors;
}
