import { decodeJwt } from 'jose';
import { BadRequestError, NotFoundError } from '../errors.js';
import type { CredentialRecord, IssueRequestBody } from '../credentials/index.js';
import type { Mechanism } from '../issuing/index.js';
import { configurationsFor } from './configurations.js';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Check a body for POST /issuers/{slug}/credentials/prepared: a single subject (the holder
 * is bound to it at delivery), no `id` (every delivery gets its own), and at least one
 * credential configuration it can be delivered as.
 */
export function checkPreparable(body: IssueRequestBody): void {
  const c = body.credential;
  if ('id' in c) {
    throw new BadRequestError('PREPARED_ID_NOT_ALLOWED', 'A prepared credential must not carry an "id": each delivery gets a fresh urn:uuid id.');
  }
  if ('proof' in c) throw new BadRequestError('MALFORMED_CREDENTIAL', 'The credential to prepare must not carry a "proof".');
  if (!isObject(c.credentialSubject)) {
    throw new BadRequestError('PREPARED_SUBJECT_INVALID', 'A prepared credential needs exactly one credentialSubject object (the wallet holder is bound to it).');
  }
  if (configurationsFor(c).length === 0) {
    throw new BadRequestError('NO_CREDENTIAL_CONFIGURATION', 'The credential matches no credential configuration of this issuer.');
  }
}

// JWT claims that describe the securing of a vc+jwt, not the credential (VC-JOSE-COSE).
const JWT_CLAIMS = ['iss', 'jti', 'sub', 'iat', 'nbf', 'exp', 'cnf'];

/**
 * The claims of an issued credential, ready to be re-issued to a wallet: proof, id and
 * status entries removed (the re-issue gets its own), issuer and dates kept.
 */
export function claimsOfIssued(rec: CredentialRecord): IssueRequestBody {
  let claims: Record<string, unknown>;
  if (rec.jwt) {
    claims = { ...decodeJwt(rec.jwt) } as Record<string, unknown>;
    for (const k of JWT_CLAIMS) delete claims[k];
  } else {
    claims = structuredClone(rec.document);
    delete claims.proof;
  }
  if (!isObject(claims)) throw new NotFoundError('CREDENTIAL_NOT_FOUND', 'The issued credential could not be read.');
  delete claims.id;
  delete claims.credentialStatus;
  const body: IssueRequestBody = { credential: claims, options: { mechanism: rec.mechanism as Mechanism } };
  checkPreparable(body);
  return body;
}
