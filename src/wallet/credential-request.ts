import { OAuthError } from './errors.js';
import { CONFIGURATIONS, configurationById, type CredentialConfiguration } from './configurations.js';
import { configurationOfIdentifier, type TokenScope } from './token-scope.js';

/** A credential request reduced to what we act on. */
export interface ParsedCredentialRequest {
  configuration: CredentialConfiguration;
  proofJwt: unknown;
  /** draft-13 request shape (format / singular proof): answer in draft-13 shape too. */
  legacy: boolean;
}

/** A JSON object (not null, not an array), as the wallet's request bodies must be. */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const bad = (d: string) => new OAuthError('invalid_credential_request', d);

function pickProof(body: Record<string, unknown>): { jwt: unknown; legacy: boolean } {
  if (body.proofs !== undefined && body.proof !== undefined) throw bad('Use either "proofs" or "proof", not both.');
  if (isObject(body.proofs)) {
    const types = Object.keys(body.proofs);
    if (types.length !== 1 || types[0] !== 'jwt') throw new OAuthError('invalid_proof', 'Only the "jwt" proof type is supported.');
    const list = body.proofs.jwt;
    if (!Array.isArray(list) || list.length === 0) throw bad('"proofs.jwt" must be a non-empty array.');
    if (list.length > 1) throw bad('Batch issuance is not supported: send exactly one proof.');
    return { jwt: list[0], legacy: false };
  }
  if (body.proofs !== undefined) throw bad('"proofs" must be an object.');
  if (isObject(body.proof)) {
    if (body.proof.proof_type !== 'jwt') throw new OAuthError('invalid_proof', 'Only the "jwt" proof type is supported.');
    return { jwt: body.proof.jwt, legacy: true };
  }
  throw new OAuthError('invalid_proof', 'A key proof is required (proofs.jwt).');
}

/** The access token does not cover a configuration: an RFC 6750 §3.1 error, which OID4VCI 1.0 §8.3.1.1 prescribes. */
function notCovered(): OAuthError {
  return new OAuthError('insufficient_scope', 'The access token does not cover this credential configuration; use the token of an offer that includes it.', 403);
}

/**
 * Parse a Credential Request: OID4VCI 1.0 (`credential_configuration_id`, or the
 * `credential_identifier` a token response with authorization_details returned, +
 * `proofs.jwt[1]`), and for older wallets draft 13 (`format` + `credential_definition`, singular
 * `proof`), where the configuration is the one of the token's scope with that format. Client
 * input is never echoed in descriptions.
 */
export function parseCredentialRequest(body: unknown, scope: TokenScope): ParsedCredentialRequest {
  if (!isObject(body)) throw bad('The credential request must be a JSON object.');
  if (body.credential_response_encryption !== undefined) throw new OAuthError('invalid_credential_request', 'Credential response encryption is not supported.');
  const { jwt, legacy } = pickProof(body);
  if (body.credential_identifier !== undefined) {
    if (body.credential_configuration_id !== undefined) throw bad('Send either credential_identifier or credential_configuration_id, not both.');
    if (!scope.identifiers) throw bad('credential_identifier is only for access tokens issued for authorization_details; send credential_configuration_id.');
    const id = typeof body.credential_identifier === 'string' ? configurationOfIdentifier(body.credential_identifier, scope) : undefined;
    if (!id) throw new OAuthError('unknown_credential_identifier', 'The credential_identifier is not one the token response returned.');
    return { configuration: configurationById(id)!, proofJwt: jwt, legacy };
  }
  let configuration: CredentialConfiguration | undefined;
  if (typeof body.credential_configuration_id === 'string') {
    configuration = configurationById(body.credential_configuration_id);
    if (!configuration) throw new OAuthError('unknown_credential_configuration', 'The credential configuration is not one this issuer advertises.');
  } else if (body.credential_configuration_id !== undefined) {
    throw bad('credential_configuration_id must be a string.');
  } else if (typeof body.format === 'string') {
    const format = body.format;
    if (!CONFIGURATIONS.some((c) => c.format === format)) throw new OAuthError('unknown_credential_configuration', 'The credential format is not one this issuer advertises.');
    configuration = CONFIGURATIONS.find((c) => c.format === format && scope.configurationIds.includes(c.id));
    if (!configuration) throw notCovered();
    return { configuration, proofJwt: jwt, legacy: true };
  } else {
    throw bad('credential_configuration_id is required.');
  }
  // Tokens issued for authorization_details still take the configuration id: wallets that ignore
  // credential_identifiers can proceed, and the scope check below is the same either way.
  if (!scope.configurationIds.includes(configuration.id)) throw notCovered();
  return { configuration, proofJwt: jwt, legacy };
}
