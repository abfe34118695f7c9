import { BadRequestError, AppError, InternalError } from '../errors.js';
import { loadBundledContexts } from './contexts.js';

/** The shape jsonld.js and the Digital Bazaar suites expect from a document loader. */
export interface RemoteDocument {
  contextUrl: string | null;
  documentUrl: string;
  document: unknown;
}

/** jsonld.js-compatible document loader. */
export type DocumentLoader = (url: string) => Promise<RemoteDocument>;

/** Options of createDocumentLoader(). */
export interface DocumentLoaderOptions {
  /**
   * Resolver for `did:` URLs: a bare DID → its DID document; a DID URL with a fragment →
   * the verification method node carrying its document's @context.
   */
  resolveDid?: (didUrl: string) => Promise<object>;
  /** Extra documents served as-is (tests: a status list credential, a DID document). */
  extraDocuments?: ReadonlyMap<string, object>;
  /** Directory of bundled contexts (defaults to the project's schemas/contexts). */
  contextsDir?: string;
}

/**
 * Build a static document loader: bundled contexts only, `did:` URLs to the injected
 * resolver, everything else refused with CONTEXT_NOT_ALLOWED — never any network I/O.
 */
export function createDocumentLoader(options: DocumentLoaderOptions = {}): DocumentLoader {
  const contexts = loadBundledContexts(options.contextsDir);
  const { resolveDid, extraDocuments } = options;
  return async function documentLoader(url: string): Promise<RemoteDocument> {
    if (typeof url !== 'string') {
      throw new BadRequestError('CONTEXT_NOT_ALLOWED', 'A JSON-LD document URL must be a string.');
    }
    // The parsed originals are frozen and shared; jsonld.js writes into the documents it is
    // given (it normalises nested @context arrays), so every call gets its own copy.
    const context = contexts.get(url);
    if (context) return { contextUrl: null, documentUrl: url, document: structuredClone(context) };
    const extra = extraDocuments?.get(url);
    if (extra) return { contextUrl: null, documentUrl: url, document: structuredClone(extra) };
    if (url.startsWith('did:') && resolveDid) {
      let document: object;
      try {
        document = await resolveDid(url);
      } catch (err) {
        if (err instanceof AppError) throw err;
        throw new InternalError('DID_RESOLUTION_ERROR', `Could not resolve ${url}.`, 502, { cause: err });
      }
      // Resolved documents are the resolver's; hand out a copy so suites may decorate it.
      return { contextUrl: null, documentUrl: url, document: structuredClone(document) };
    }
    throw new BadRequestError('CONTEXT_NOT_ALLOWED', `The document "${url}" is not among the bundled JSON-LD contexts; it is not loaded.`, { url });
  };
}
