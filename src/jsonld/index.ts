export { createDocumentLoader } from './document-loader.js';
export type { DocumentLoader, DocumentLoaderOptions, RemoteDocument } from './document-loader.js';
export { allowedContextUrls, loadBundledContexts, CONTEXTS } from './contexts.js';
export type { ContextMap } from './contexts.js';
export { assertNoDroppedTerms, canonizeSafe } from './safe-mode.js';
export { mapJsonLdError, findAppError } from './errors.js';
export type { JsonLdErrorCode } from './errors.js';
