import { AppError } from '../errors.js';

/** Stable codes raised by the status module (catalogued in docs/errors.md). */
export type StatusErrorCode =
  | 'STATUS_REVOCATION_FINAL'
  | 'STATUS_PURPOSE_NOT_ALLOCATED'
  | 'STATUS_CHANGE_INVALID'
  | 'STATUS_LIST_NOT_FOUND'
  | 'STATUS_ENTRY_CONFLICT'
  | 'STATUS_RETRIEVAL_ERROR'
  | 'STATUS_LIST_INVALID'
  | 'STATUS_LIST_LENGTH_ERROR'
  | 'STATUS_TYPE_UNSUPPORTED';

const HTTP: Record<StatusErrorCode, number> = {
  STATUS_REVOCATION_FINAL: 409,
  STATUS_PURPOSE_NOT_ALLOCATED: 422,
  STATUS_CHANGE_INVALID: 400,
  STATUS_LIST_NOT_FOUND: 404,
  STATUS_ENTRY_CONFLICT: 500,
  // Verifier-side failures: the list could not be obtained or trusted (the check is indeterminate).
  STATUS_RETRIEVAL_ERROR: 502,
  STATUS_LIST_INVALID: 502,
  STATUS_LIST_LENGTH_ERROR: 502,
  STATUS_TYPE_UNSUPPORTED: 422,
};

/** An error of the status module with its stable code and HTTP status. */
export class StatusError extends AppError {
  constructor(code: StatusErrorCode, message: string, detail?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(code, message, HTTP[code], detail, options);
  }
}
