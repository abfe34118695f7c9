import jsonld from 'jsonld';
import { AppError, BadRequestError, InternalError } from '../errors.js';
import type { DocumentLoader } from './document-loader.js';
import { expanderOf } from './canonicalizer.js';
import { isCanonicalizationLimit, mapJsonLdError } from './errors.js';

function rethrow(err: unknown): never {
  const mapped = mapJsonLdError(err);
  if (mapped) throw mapped;
  if (err instanceof AppError) throw err;
  // The expansion ran past its deadline: the document is too costly, which is the client's to fix.
  if (isCanonicalizationLimit(err)) {
    throw new BadRequestError('RESOURCE_LIMIT_EXCEEDED', 'The document is too costly to process as JSON-LD within its time bound.', undefined, { cause: err });
  }
  throw new InternalError('INTERNAL_ERROR', 'JSON-LD processing failed.', 500, { cause: err });
}

/**
 * Expand `doc` in jsonld.js safe mode and throw UNDEFINED_TERM (400) on the first term or
 * type the active context does not define (which plain JSON-LD would silently drop), or
 * JSONLD_ERROR on invalid JSON-LD. Note: a context with `@vocab` (VC 2.0) defines every
 * term, so on VC 2.0 credentials only terms of scoped contexts that reset @vocab can fail.
 */
export async function assertNoDroppedTerms(doc: object, documentLoader: DocumentLoader, bounds: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<void> {
  try {
    await expandSafe(doc, documentLoader, bounds);
  } catch (err) {
    rethrow(err);
  }
}

/** Deadline of one offloaded safe-mode expansion (ms): the budget a canonicalization gets. */
export const EXPAND_TIMEOUT_MS = 5_000;

/**
 * Safe-mode jsonld.expand() of `doc` for its errors only (the raw jsonld.js errors, unmapped);
 * on the loader's worker pool when one is attached, else in this thread. `doc` is not mutated.
 * On the pool the expansion has a deadline (`timeoutMs`, default EXPAND_TIMEOUT_MS, and the
 * caller's `signal`): untrusted input must not hold a worker for good.
 */
export async function expandSafe(doc: object, documentLoader: DocumentLoader, bounds: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<void> {
  const offloaded = expanderOf(documentLoader);
  // The pool copies the document into the worker, so no clone is needed on that path.
  if (offloaded) {
    const { timeoutMs = EXPAND_TIMEOUT_MS, signal } = bounds;
    await offloaded(doc, { documentLoader, safe: true, base: null, discard: true, timeoutMs, ...(signal ? { signal } : {}) });
  } else await jsonld.expand(structuredClone(doc) as jsonld.JsonLdDocument, { documentLoader, safe: true, base: null });
}

/** RDFC-1.0 canonical N-Quads of `doc`, in safe mode (dropped terms are errors, not silence). */
export async function canonizeSafe(doc: object, documentLoader: DocumentLoader): Promise<string> {
  try {
    return (await jsonld.canonize(structuredClone(doc) as jsonld.JsonLdDocument, {
      algorithm: 'RDFC-1.0', format: 'application/n-quads', documentLoader, safe: true, base: null,
    })) as string;
  } catch (err) {
    rethrow(err);
  }
}
