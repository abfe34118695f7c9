import type { DidResolver } from '../did/index.js';
import { inheritCanonicalizer } from '../jsonld/index.js';

/** JSON-LD document loader shape used by jsonld.js and the Digital Bazaar suites. */
export type DocumentLoader = (url: string) => Promise<{ contextUrl: string | null; documentUrl: string; document: unknown }>;

/** Loader that answers DID URLs from the resolver and everything else from `base` (the static context loader). */
export function withDidResolution(base: DocumentLoader, resolver: DidResolver): DocumentLoader {
  // Keep the base loader's canonicalization worker pool (see jsonld/canonicalizer.ts).
  return inheritCanonicalizer(base, async (url: string) => {
    if (url.startsWith('did:')) {
      const document = await resolver.dereference(url);
      return { contextUrl: null, documentUrl: url, document };
    }
    return base(url);
  });
}
