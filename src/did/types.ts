import type { DIDDocument, DIDResolutionResult, VerificationMethod } from 'did-resolver';

export type { DIDDocument as DidDocument, DIDResolutionResult as DidResolutionResult, VerificationMethod };

/** Node's dns.lookup(host, {all: true}) shape, injectable so tests control DNS. */
export type LookupFn = (hostname: string) => Promise<Array<{ address: string; family: number }>>;

/** Options of createResolver(); every outside effect is injected. */
export interface ResolverOptions {
  /** fetch implementation used for did:web (global fetch in production). */
  fetch?: typeof fetch;
  /** Clock for cache expiry (ms since epoch). */
  now?: () => number;
  cache?: { max?: number; ttlMs?: number };
  /** Tests only: allow did:web hosts that are IP literals or resolve to private/loopback addresses. */
  allowPrivateHosts?: boolean;
  /** Tests only: fetch did:web documents over http instead of https. */
  allowHttp?: boolean;
  lookup?: LookupFn;
  /** Our own institutions' DIDs: answered from the store, never over HTTP. null = not ours. */
  resolveOwn?: (did: string) => Promise<DIDDocument | null>;
  /** did:web request timeout (default 3000 ms). */
  timeoutMs?: number;
  /** did:web body cap in bytes (default 256 KiB). */
  maxBytes?: number;
}

/** A verification method as a standalone JSON-LD document (carries its DID document's @context). */
export type DereferencedMethod = VerificationMethod & { '@context'?: unknown; [k: string]: unknown };

/** What the rest of the service uses to turn DIDs into documents and keys. */
export interface DidResolver {
  /** DID resolution per DID Core: never throws; failures are in didResolutionMetadata.error. */
  resolve(did: string): Promise<DIDResolutionResult>;
  /** Resolve to a document or throw DidError with a stable code. */
  resolveDocument(did: string): Promise<DIDDocument>;
  /** DID URL with fragment → verification method (with @context); bare DID → the document. Throws DidError. */
  dereference(didUrl: string): Promise<DereferencedMethod | DIDDocument>;
  /** Verification method behind a DID URL, checked to be listed under `relationship` of its DID document. */
  getVerificationMethod(didUrl: string, relationship?: VerificationRelationshipName): Promise<DereferencedMethod>;
  /** A resolver that resolves each DID at most once (for the span of one verification). */
  scoped?(): DidResolver;
}

export type VerificationRelationshipName =
  | 'authentication'
  | 'assertionMethod'
  | 'keyAgreement'
  | 'capabilityInvocation'
  | 'capabilityDelegation';
