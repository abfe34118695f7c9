/**
 * One error hierarchy for the whole service. Every error that can reach a client carries a
 * stable `code` (documented in docs/errors.md) and an HTTP status; routes turn it into
 * application/problem+json.
 */
export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly detail: Record<string, unknown> | undefined;

  constructor(code: string, message: string, status = 400, detail?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.status = status;
    this.detail = detail;
  }
}

/** The request was malformed or semantically refused (400). */
export class BadRequestError extends AppError {
  constructor(code: string, message: string, detail?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(code, message, 400, detail, options);
  }
}

/** No or bad credentials (401). */
export class UnauthorizedError extends AppError {
  constructor(code = 'UNAUTHORIZED', message = 'A valid bearer token is required.') {
    super(code, message, 401);
  }
}

/** Authenticated but not allowed (403). */
export class ForbiddenError extends AppError {
  constructor(code = 'FORBIDDEN', message = 'This token may not act on this resource.') {
    super(code, message, 403);
  }
}

/** The resource does not exist, or the caller may not know it exists (404). */
export class NotFoundError extends AppError {
  constructor(code = 'NOT_FOUND', message = 'Not found.') {
    super(code, message, 404);
  }
}

/** State conflict, e.g. a slug already taken (409). */
export class ConflictError extends AppError {
  constructor(code: string, message: string, detail?: Record<string, unknown>) {
    super(code, message, 409, detail);
  }
}

/** Well-formed but refused on its meaning (422). */
export class UnprocessableError extends AppError {
  constructor(code: string, message: string, detail?: Record<string, unknown>) {
    super(code, message, 422, detail);
  }
}

/** Our fault or a dependency's; the message is never shown to clients (500/503). */
export class InternalError extends AppError {
  constructor(code = 'INTERNAL_ERROR', message = 'Internal error.', status = 500, options?: { cause?: unknown }) {
    super(code, message, status, undefined, options);
  }
}
