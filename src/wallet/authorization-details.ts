import { isObject } from './credential-request.js';
import { OAuthError } from './errors.js';
import { credentialIdentifier } from './token-scope.js';

const TYPE = 'openid_credential';

const invalidDetails = (d: string) => new OAuthError('invalid_authorization_details', d);

/**
 * Parse the token request's `authorization_details` (RFC 9396 §2, OID4VCI 1.0 §5.1.1): a JSON
 * array of objects. A parameter that is not such an array is a malformed request; each object
 * must be an `openid_credential` naming a configuration of this offer, or the request fails with
 * invalid_authorization_details (RFC 9396 §5). Other members (`claims`…) may be present; the
 * whole credential is issued whatever claims are asked for. Returns the configuration ids asked
 * for, without repeats, or undefined when the parameter is absent.
 */
export function requestedConfigurations(raw: string | undefined, offered: readonly string[], issuer: string): string[] | undefined {
  if (raw === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new OAuthError('invalid_request', 'authorization_details must be a JSON array.');
  }
  if (!Array.isArray(parsed) || parsed.length === 0) throw new OAuthError('invalid_request', 'authorization_details must be a non-empty JSON array.');
  const ids: string[] = [];
  for (const detail of parsed) {
    if (!isObject(detail)) throw invalidDetails('Each authorization_details entry must be an object.');
    if (detail.type !== TYPE) throw invalidDetails(`Only authorization_details of type ${TYPE} are supported.`);
    const id = detail.credential_configuration_id;
    if (typeof id !== 'string') throw invalidDetails('An openid_credential entry needs a credential_configuration_id string.');
    if (!offered.includes(id)) throw invalidDetails('An authorization_details entry names a credential configuration that is not in this offer.');
    // Only needed when an external authorization server protects several issuers; if sent, it must name us.
    if (detail.locations !== undefined && !(Array.isArray(detail.locations) && detail.locations.length > 0 && detail.locations.every((l) => l === issuer))) {
      throw invalidDetails(`authorization_details locations must be the credential issuer ${issuer}.`);
    }
    if (detail.claims !== undefined && !validClaims(detail.claims)) {
      throw invalidDetails('authorization_details claims must be a non-empty array of objects with a non-empty path.');
    }
    if (!ids.includes(id)) ids.push(id);
  }
  return ids;
}

function validClaims(claims: unknown): boolean {
  return Array.isArray(claims) && claims.length > 0 && claims.every((c) => isObject(c) && Array.isArray(c.path) && c.path.length > 0);
}

/** The token response's `authorization_details`: one entry per granted configuration, with its credential_identifiers. */
export function grantedDetails(ids: readonly string[]): Array<Record<string, unknown>> {
  return ids.map((id) => ({ type: TYPE, credential_configuration_id: id, credential_identifiers: [credentialIdentifier(id)] }));
}
