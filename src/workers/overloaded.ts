import { AppError } from '../errors.js';

/**
 * The service is saturated (503 OVERLOADED): the work was refused or dropped before it started,
 * so a retry after `retryAfterSeconds` may succeed. Never the input's fault.
 */
export class OverloadedError extends AppError {
  /** Seconds a client should wait before retrying (sent as Retry-After). */
  readonly retryAfterSeconds: number;

  constructor(message: string, detail?: Record<string, unknown>, retryAfterSeconds = 1, code = 'OVERLOADED') {
    super(code, message, 503, detail);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
