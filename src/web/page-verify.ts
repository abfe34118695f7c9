/** Verification for the page: the verifier's report plus what the page needs to show each credential. */
import { parseInput, DEFAULT_LIMITS, type VerificationReport } from '../verifying/index.js';
import { displayOf, type CredentialDisplay } from './display.js';

/** What the page asks to verify: the VC-API request body shapes. */
export type PageVerifyRequest =
  | { verifiableCredential: unknown; options?: Record<string, unknown> }
  | { verifiablePresentation: unknown; options?: { challenge?: string; domain?: string } };

/** The verifier the page uses; the same one behind POST /credentials/verify. */
export type VerifyFn = (input: unknown, options: { kind: 'credential' | 'presentation'; expected?: { challenge?: string; domain?: string } }) => Promise<VerificationReport>;

/** The page's answer: the unchanged VC-API report and one display entry per credential (in report order). */
export interface PageVerification {
  kind: 'credential' | 'presentation';
  report: VerificationReport;
  credentials: Array<CredentialDisplay | null>;
}

// Decoding twice (once here, once inside verify) keeps verify() untouched; both are bounded by the same limits.
function decode(input: unknown): { kind: 'credential' | 'presentation'; document: Record<string, unknown> } | null {
  try {
    const s = parseInput(input, DEFAULT_LIMITS);
    return { kind: s.kind, document: s.document };
  } catch {
    return null;
  }
}

function displaysOfPresentation(vp: Record<string, unknown>): Array<CredentialDisplay | null> {
  const entries = Array.isArray(vp.verifiableCredential) ? vp.verifiableCredential : vp.verifiableCredential === undefined ? [] : [vp.verifiableCredential];
  return entries.map((e) => {
    const d = decode(e);
    return d && d.kind === 'credential' ? displayOf(d.document) : null;
  });
}

/** Verify what the page submitted and add display data; bad input still yields a report. */
export async function verifyForPage(body: PageVerifyRequest, verify: VerifyFn): Promise<PageVerification> {
  const input = 'verifiablePresentation' in body ? body.verifiablePresentation : body.verifiableCredential;
  const d = decode(input);
  // A presentation dropped as a credential is still verified as what it is: people do not know the difference.
  if (d?.kind === 'presentation' || (!d && 'verifiablePresentation' in body)) {
    const o = (body.options ?? {}) as { challenge?: unknown; domain?: unknown };
    const expected = {
      ...(typeof o.challenge === 'string' && o.challenge ? { challenge: o.challenge } : {}),
      ...(typeof o.domain === 'string' && o.domain ? { domain: o.domain } : {}),
    };
    const report = await verify(input, { kind: 'presentation', expected });
    return { kind: 'presentation', report, credentials: d ? displaysOfPresentation(d.document) : [] };
  }
  const report = await verify(input, { kind: 'credential' });
  return { kind: 'credential', report, credentials: [d ? displayOf(d.document) : null] };
}
