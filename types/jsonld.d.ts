declare module 'jsonld' {
  namespace jsonld {
    type JsonLdDocument = Record<string, unknown> | Array<Record<string, unknown>>;
    interface RemoteDocument { contextUrl: string | null; documentUrl: string; document: unknown }
    type DocumentLoader = (url: string, options?: unknown) => Promise<RemoteDocument>;
    interface JsonLdEvent { type: string[]; code: string; level: string; message: string; details?: Record<string, unknown> }
    type EventHandler = (input: { event: JsonLdEvent; next: () => void }) => void;
    interface Options {
      documentLoader?: DocumentLoader;
      base?: string | null;
      safe?: boolean;
      eventHandler?: EventHandler | EventHandler[];
      expandContext?: unknown;
      [key: string]: unknown;
    }
    interface CanonizeOptions extends Options { algorithm?: 'RDFC-1.0' | 'URDNA2015'; format?: 'application/n-quads' }
    function expand(input: JsonLdDocument, options?: Options): Promise<Array<Record<string, unknown>>>;
    function compact(input: JsonLdDocument, ctx: unknown, options?: Options): Promise<Record<string, unknown>>;
    function canonize(input: JsonLdDocument, options?: CanonizeOptions): Promise<string>;
    function toRDF(input: JsonLdDocument, options?: Options): Promise<unknown>;
    function getValues(subject: Record<string, unknown>, property: string): unknown[];
    const documentLoaders: Record<string, unknown>;
  }
  const jsonld: {
    expand: typeof jsonld.expand;
    compact: typeof jsonld.compact;
    canonize: typeof jsonld.canonize;
    toRDF: typeof jsonld.toRDF;
    getValues: typeof jsonld.getValues;
    documentLoaders: typeof jsonld.documentLoaders;
  };
  export default jsonld;
}
