import { BadRequestError, InternalError } from '../errors.js';
import { jwsAlgorithmFor } from '../keys/index.js';
import { detectDataModelVersion, issuerIdOf } from './prepare.js';
import type { Credential, VcJwtOptions } from './types.js';

/**
 * Secure a VC 2.0 credential as `vc+jwt` (VC-JOSE-COSE §3.1.1): the JWS payload IS the
 * credential. Registered claims are added only where they restate the credential, as the
 * spec recommends avoiding conflicts: `iss` = issuer id, `jti` = id, `sub` = the single
 * subject's id, and `iat` = signing time when a clock is given (it describes the securing,
 * not the credential). `vc`/`vp` claims are forbidden by the spec and never added.
 */
export async function signVcJwt(credential: Credential, opts: VcJwtOptions): Promise<string> {
  assertVcJwtSecurable(credential);
  const { signer } = opts;
  if (typeof signer.signJws !== 'function') {
    throw new InternalError('SIGNER_NO_JWS', `Signer ${signer.id} cannot produce JWS.`);
  }
  const payload: Record<string, unknown> = { ...credential };
  const iss = issuerIdOf(credential);
  if (iss) payload.iss = iss;
  if (typeof credential.id === 'string') payload.jti = credential.id;
  const subject = credential.credentialSubject;
  if (subject && typeof subject === 'object' && !Array.isArray(subject) && typeof (subject as { id?: unknown }).id === 'string') {
    payload.sub = (subject as { id: string }).id;
  }
  if (opts.now) payload.iat = Math.floor(opts.now().getTime() / 1000);
  const header = { alg: jwsAlgorithmFor(signer.algorithm), typ: 'vc+jwt', cty: 'vc', kid: opts.kid ?? signer.id };
  return signer.signJws(header, new TextEncoder().encode(JSON.stringify(payload)));
}

/**
 * Refuse (400) a credential vc+jwt cannot secure: not VC 2.0 (JOSE_REQUIRES_VC2), or already
 * carrying a JWT claim the securing would add or VC-JOSE-COSE forbids (MALFORMED_CREDENTIAL).
 * Depends on the client's input only, so it can run before anything is reserved for it.
 */
export function assertVcJwtSecurable(credential: Credential): void {
  if (detectDataModelVersion(credential) !== '2.0') {
    throw new BadRequestError('JOSE_REQUIRES_VC2', 'vc+jwt secures VC Data Model 2.0 credentials only; use a Data Integrity suite for VC 1.1.');
  }
  for (const claim of ['iss', 'jti', 'sub', 'iat', 'nbf', 'exp', 'vc', 'vp']) {
    if (claim in credential) {
      throw new BadRequestError('MALFORMED_CREDENTIAL', `A credential to secure as vc+jwt must not carry the JWT claim "${claim}".`, { property: claim });
    }
  }
}

/** Wrap a vc+jwt as a VC 2.0 EnvelopedVerifiableCredential (data: URL, media type application/vc+jwt). */
export function envelope(jwt: string): Credential {
  return {
    // An array, like every other credential we emit: libraries that embed it in a presentation
    // (e.g. @digitalbazaar/vc createPresentation) expect @context[0] to be the VC base context.
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    id: `data:application/vc+jwt,${jwt}`,
    type: 'EnvelopedVerifiableCredential',
  };
}
