import type { DocumentLoader } from './document-loader.js';

/** A replacement for the cryptosuites' canonize(input, options): same inputs, same N-Quads. */
export type Canonicalize = (input: unknown, options?: Record<string, unknown>) => Promise<string>;

/** A replacement for jsonld.expand(input, options) (options.discard: resolve null instead of the result). */
export type Expand = (input: unknown, options?: Record<string, unknown>) => Promise<unknown>;

/** What a worker pool offers to the JSON-LD callers. */
export interface JsonLdOffload {
  canonize: Canonicalize;
  expand?: Expand;
  /** The same offload for one unit of work (a verification), free to remember what it computed. */
  scoped?: () => JsonLdOffload;
}

const KEY = Symbol.for('microcred.canonicalize');

/**
 * The loader, as a new function that also carries a canonicalizer (e.g. a worker pool).
 * Issuing and verifying receive only a document loader from their callers, so the faster
 * path travels with it; without one they use the stock in-process canonize.
 */
export function withCanonicalizer(loader: DocumentLoader, offload: Canonicalize | JsonLdOffload): DocumentLoader {
  const value: JsonLdOffload = typeof offload === 'function' ? { canonize: offload } : offload;
  const wrapped: DocumentLoader = (url) => loader(url);
  Object.defineProperty(wrapped, KEY, { value, enumerable: false });
  return wrapped;
}

function offloadOf(loader: DocumentLoader | undefined): JsonLdOffload | undefined {
  return loader ? (loader as unknown as Record<symbol, JsonLdOffload | undefined>)[KEY] : undefined;
}

/** The canonicalizer attached to a loader by withCanonicalizer(), if any. */
export function canonicalizerOf(loader: DocumentLoader | undefined): Canonicalize | undefined {
  return offloadOf(loader)?.canonize;
}

/** The expander attached to a loader by withCanonicalizer(), if any. */
export function expanderOf(loader: DocumentLoader | undefined): Expand | undefined {
  return offloadOf(loader)?.expand;
}

/** The loader with its offload scoped to one unit of work (see JsonLdOffload.scoped); as is without one. */
export function scopedCanonicalizer(loader: DocumentLoader): DocumentLoader {
  const offload = offloadOf(loader);
  return offload?.scoped ? withCanonicalizer(loader, offload.scoped()) : loader;
}

/** `to`, carrying `from`'s canonicalizer (for loaders that wrap another loader). */
export function inheritCanonicalizer(from: DocumentLoader, to: DocumentLoader): DocumentLoader {
  const offload = offloadOf(from);
  return offload ? withCanonicalizer(to, offload) : to;
}
