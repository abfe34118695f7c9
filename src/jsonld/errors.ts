import { AppError, BadRequestError } from '../errors.js';

/** Codes raised by the JSON-LD layer; each is listed in docs/errors.md. */
export type JsonLdErrorCode = 'CONTEXT_NOT_ALLOWED' | 'UNDEFINED_TERM' | 'JSONLD_ERROR';

interface JsonLdLikeError {
  name?: string;
  message?: string;
  details?: { code?: string; event?: { code?: string; message?: string; details?: Record<string, unknown> }; cause?: unknown; url?: string };
  cause?: unknown;
}

/** First AppError in an error's cause chain (jsonld.js wraps loader errors in details.cause). */
export function findAppError(err: unknown, depth = 0): AppError | undefined {
  if (err instanceof AppError) return err;
  if (!err || typeof err !== 'object' || depth > 8) return undefined;
  const e = err as JsonLdLikeError;
  return findAppError(e.details?.cause, depth + 1) ?? findAppError(e.cause, depth + 1);
}

/**
 * The service-unavailable error (status 503, e.g. OVERLOADED from a saturated worker pool) in an
 * error's cause chain, if any: the work was refused, not judged, so callers must pass it on
 * rather than report it as a property of the document.
 */
export function serviceUnavailable(err: unknown): AppError | undefined {
  const app = findAppError(err);
  return app && app.status === 503 ? app : undefined;
}

/** True when RDF canonicalization stopped at its work bound or deadline (somewhere in the cause chain). */
export function isCanonicalizationLimit(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 8) return false;
  const e = err as JsonLdLikeError;
  if (/Maximum deep iterations exceeded|Abort signal received|aborted/i.test(String(e.message ?? ''))) return true;
  return isCanonicalizationLimit(e.details?.cause, depth + 1) || isCanonicalizationLimit(e.cause, depth + 1);
}

/** Safe-mode events that mean "this term/type has no definition in the active context". */
const UNDEFINED_EVENTS: Record<string, string> = {
  'invalid property': 'property',
  'relative @type reference': 'type',
};

/**
 * Translate whatever jsonld.js (or a suite running it) threw into our error family:
 * an AppError from our loader passes through; safe-mode drops become UNDEFINED_TERM;
 * everything else JSON-LD becomes JSONLD_ERROR. Non-JSON-LD errors return undefined.
 */
export function mapJsonLdError(err: unknown): AppError | undefined {
  const app = findAppError(err);
  if (app) return app;
  if (!err || typeof err !== 'object') return undefined;
  const e = err as JsonLdLikeError;
  if (typeof e.name !== 'string' || !e.name.startsWith('jsonld.')) return undefined;
  const event = e.details?.event;
  if (e.name === 'jsonld.ValidationError' && event?.code) {
    const key = UNDEFINED_EVENTS[event.code];
    const term = key ? event.details?.[key] : undefined;
    if (typeof term === 'string') {
      return new BadRequestError('UNDEFINED_TERM', `The term "${term}" is not defined by the credential's @context.`, { term, event: event.code }, { cause: err });
    }
    return new BadRequestError('JSONLD_ERROR', `JSON-LD safe mode rejected the document: ${event.message ?? event.code}.`, { event: event.code, ...(event.details ?? {}) }, { cause: err });
  }
  const code = e.details?.code;
  return new BadRequestError('JSONLD_ERROR', `Invalid JSON-LD${code ? ` (${code})` : ''}: ${e.message ?? 'processing failed'}.`, code ? { jsonldCode: code } : undefined, { cause: err });
}
