export { createDocumentLoader } from './document-loader.js';
export type { DocumentLoader, DocumentLoaderOptions, RemoteDocument } from './document-loader.js';
export { allowedContextUrls, loadBundledContexts, CONTEXTS } from './contexts.js';
export type { ContextMap } from './contexts.js';
export { assertNoDroppedTerms, canonizeSafe, expandSafe } from './safe-mode.js';
export { mapJsonLdError, findAppError, isCanonicalizationLimit } from './errors.js';
export type { JsonLdErrorCode } from './errors.js';
export { withCanonicalizer, canonicalizerOf, expanderOf, inheritCanonicalizer } from './canonicalizer.js';
export type { Canonicalize, Expand, JsonLdOffload } from './canonicalizer.js';
