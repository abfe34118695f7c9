import { AppError } from '../errors.js';

/** OAuth 2.0 / OID4VCI error values this service returns at the protocol endpoints. */
export type OAuthErrorValue =
  | 'invalid_request'
  | 'invalid_grant'
  | 'unsupported_grant_type'
  | 'invalid_target'
  | 'invalid_authorization_details'
  | 'invalid_token'
  | 'insufficient_scope'
  | 'invalid_credential_request'
  | 'unknown_credential_configuration'
  | 'unknown_credential_identifier'
  | 'invalid_proof'
  | 'invalid_nonce'
  | 'credential_request_denied';

/** Longest error_description sent; longer texts (library messages) are cut. */
const MAX_DESCRIPTION = 300;
// NFKD splits accented letters into a base letter and combining marks; the marks are dropped below.
const COMBINING = /\p{M}/gu;

/**
 * An `error_description` OAuth and OID4VCI accept: only %x20-21 / %x23-5B / %x5D-7E (RFC 6749
 * §5.2). Double quotes become apostrophes, backslashes slashes, control characters spaces;
 * accented letters lose their accent and anything else outside printable ASCII is dropped.
 */
export function oauthDescription(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFKD').replace(COMBINING, '')) {
    if (ch === '"') out += "'";
    else if (ch === '\\') out += '/';
    else if (ch >= ' ' && ch <= '~') out += ch;
    else if (/\s/.test(ch)) out += ' ';
  }
  out = out.replace(/ {2,}/g, ' ').trim();
  return out.length > MAX_DESCRIPTION ? `${out.slice(0, MAX_DESCRIPTION - 3)}...` : out;
}

/**
 * A protocol error at the token, nonce or credential endpoint. It leaves as the OAuth JSON
 * shape `{error, error_description}` (not problem+json, which wallets do not read), always
 * with `Cache-Control: no-store`. `code` is the stable service code: OID4VCI_<ERROR>. The
 * description is reduced to the characters OAuth allows when the error is made, so every
 * body and header built from it conforms.
 */
export class OAuthError extends AppError {
  readonly error: OAuthErrorValue;
  /** Extra members of the error body (e.g. a fresh c_nonce with invalid_nonce). */
  readonly extra: Record<string, unknown>;

  constructor(error: OAuthErrorValue, description: string, status = 400, extra: Record<string, unknown> = {}) {
    super(`OID4VCI_${error.toUpperCase()}`, oauthDescription(description), status);
    this.error = error;
    this.extra = extra;
  }

  /** Errors of RFC 6750 §3.1 that travel in a `WWW-Authenticate: Bearer` challenge too. */
  get bearerChallenge(): boolean {
    return this.error === 'invalid_token' || this.error === 'insufficient_scope';
  }

  /** The JSON body wallets receive. */
  body(): Record<string, unknown> {
    return { error: this.error, error_description: this.message, ...this.extra };
  }
}
