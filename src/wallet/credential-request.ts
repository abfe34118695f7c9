import { OAuthError } from './errors.js';
import { CONFIGURATIONS, configurationById, type CredentialConfiguration } from './configurations.js';

/** A credential request reduced to what we act on. */
export interface ParsedCredentialRequest {
  configuration: CredentialConfiguration;
  proofJwt: unknown;
  /** draft-13 request shape (format / singular proof): answer in draft-13 shape too. */
  legacy: boolean;
}

function isObject(v: unknown): v is Record<string, unknown> {
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

/**
 * Parse a Credential Request: OID4VCI 1.0 (`credential_configuration_id` + `proofs.jwt[1]`), and
 * for older wallets draft 13 (`format` + `credential_definition`, singular `proof`), where the
 * configuration is the one of the offer with that format.
 */
export function parseCredentialRequest(body: unknown, offered: string[]): ParsedCredentialRequest {
  if (!isObject(body)) throw bad('The credential request must be a JSON object.');
  if (body.credential_response_encryption !== undefined) throw new OAuthError('invalid_credential_request', 'Credential response encryption is not supported.');
  if (body.credential_identifier !== undefined) throw bad('credential_identifier is not used by this issuer; send credential_configuration_id.');
  const { jwt, legacy } = pickProof(body);
  let configuration: CredentialConfiguration | undefined;
  if (typeof body.credential_configuration_id === 'string') {
    configuration = configurationById(body.credential_configuration_id);
    if (!configuration) throw new OAuthError('unknown_credential_configuration', `Unknown credential configuration "${body.credential_configuration_id}".`);
  } else if (typeof body.format === 'string') {
    const format = body.format;
    if (!CONFIGURATIONS.some((c) => c.format === format)) throw new OAuthError('unknown_credential_configuration', `Unsupported format "${format}".`);
    configuration = CONFIGURATIONS.find((c) => c.format === format && offered.includes(c.id));
    if (!configuration) throw new OAuthError('credential_request_denied', `The offer does not include a ${format} credential.`);
    return { configuration, proofJwt: jwt, legacy: true };
  } else {
    throw bad('credential_configuration_id is required.');
  }
  if (!offered.includes(configuration.id)) {
    throw new OAuthError('credential_request_denied', `The access token does not cover credential configuration "${configuration.id}".`);
  }
  return { configuration, proofJwt: jwt, legacy };
}
