import { CTX } from './context-policy.js';
import type { VerificationSubject } from './types.js';

/** The media types VC-JOSE-COSE registers for credentials and presentations secured with JOSE. */
export const JOSE_MEDIA_TYPE = { credential: 'application/vc+jwt', presentation: 'application/vp+jwt' } as const;
// The `cty` VC-JOSE-COSE recommends for each (the payload's own media type).
const JOSE_CONTENT_TYPE = { credential: 'application/vc', presentation: 'application/vp' } as const;

/**
 * A JOSE `typ`/`cty` value as a full, lower-case media type: RFC 7515 §4.1.9 has a value without
 * "/" read as if "application/" were prepended, and media type names are case-insensitive.
 * Undefined when the value is not a string.
 */
export function joseMediaType(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const v = value.trim().toLowerCase();
  return v.includes('/') ? v : `application/${v}`;
}

/**
 * Why a JWS header without `typ` is not this kind of VC-JOSE-COSE token, or null when nothing
 * says otherwise. VC-JOSE-COSE makes `typ` a SHOULD (its first example omits it), so its absence
 * alone is no reason to refuse; other evidence of another kind of JWT is.
 */
export function untypedJoseMismatch(subject: VerificationSubject): string | null {
  const cty = subject.jws?.header.cty;
  if (cty !== undefined && joseMediaType(cty) !== JOSE_CONTENT_TYPE[subject.kind]) return `its cty ${JSON.stringify(cty)} names other content`;
  // The issuer-signed JWT of an SD-JWT carries these; read as a plain JWS its disclosures are lost.
  if (Object.hasOwn(subject.document, '_sd_alg') || Object.hasOwn(subject.document, '_sd')) return 'it carries SD-JWT claims (_sd, _sd_alg)';
  return null;
}

/**
 * VC-JOSE-COSE rules on a JOSE-secured claims set, or null when it conforms: the payload is a
 * VC Data Model 2.0 document (§3.1.1, §3.1.2; the issuer refuses the rest with the same code),
 * and the JWT claim names `vc` and `vp` are absent (§1.1.2.1, §3.1.3).
 */
export function joseClaimsProblem(doc: Record<string, unknown>, contextBase: string): { code: 'JOSE_REQUIRES_VC2' | 'JOSE_CLAIM_FORBIDDEN'; message: string } | null {
  if (contextBase !== CTX.VC_V2) return { code: 'JOSE_REQUIRES_VC2', message: 'A vc+jwt or vp+jwt payload must be a VC Data Model 2.0 document.' };
  for (const claim of ['vc', 'vp']) {
    if (Object.hasOwn(doc, claim)) return { code: 'JOSE_CLAIM_FORBIDDEN', message: `The JWT claim "${claim}" must not be present in a VC-JOSE-COSE claims set.` };
  }
  return null;
}
