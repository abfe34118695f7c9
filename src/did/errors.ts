import { AppError } from '../errors.js';

/** Codes the DID layer can raise; each has a matching entry in docs/errors.md. */
export type DidErrorCode =
  | 'DID_RESOLUTION_ERROR'
  | 'DID_WEB_FORBIDDEN_HOST'
  | 'DID_WEB_TOO_LARGE'
  | 'DID_WEB_TIMEOUT'
  | 'DID_WEB_REDIRECT'
  | 'DID_METHOD_NOT_SUPPORTED'
  | 'DID_DOCUMENT_INVALID'
  | 'DID_INVALID'
  | 'DID_URL_NOT_FOUND';

/**
 * A DID could not be resolved or dereferenced. `transient` is true when retrying later may
 * succeed (network, timeout, upstream 5xx) — verifiers report that as indeterminate, not failed.
 */
export class DidError extends AppError {
  readonly transient: boolean;

  constructor(code: DidErrorCode, message: string, opts: { transient?: boolean; detail?: Record<string, unknown>; cause?: unknown } = {}) {
    super(code, message, opts.transient ? 502 : 422, opts.detail, { cause: opts.cause });
    this.transient = opts.transient ?? false;
  }
}
