import { AppError } from '../errors.js';

/** OAuth 2.0 / OID4VCI error values this service returns at the protocol endpoints. */
export type OAuthErrorValue =
  | 'invalid_request'
  | 'invalid_grant'
  | 'unsupported_grant_type'
  | 'invalid_target'
  | 'invalid_token'
  | 'invalid_credential_request'
  | 'unknown_credential_configuration'
  | 'invalid_proof'
  | 'invalid_nonce'
  | 'credential_request_denied';

/**
 * A protocol error at the token, nonce or credential endpoint. It leaves as the OAuth JSON
 * shape `{error, error_description}` (not problem+json, which wallets do not read), always
 * with `Cache-Control: no-store`. `code` is the stable service code: OID4VCI_<ERROR>.
 */
export class OAuthError extends AppError {
  readonly error: OAuthErrorValue;
  /** Extra members of the error body (e.g. a fresh c_nonce with invalid_nonce). */
  readonly extra: Record<string, unknown>;

  constructor(error: OAuthErrorValue, description: string, status = 400, extra: Record<string, unknown> = {}) {
    super(`OID4VCI_${error.toUpperCase()}`, description, status);
    this.error = error;
    this.extra = extra;
  }

  /** The JSON body wallets receive. */
  body(): Record<string, unknown> {
    return { error: this.error, error_description: this.message, ...this.extra };
  }
}
