import { Resolver, type DIDCache, type DIDDocument, type DIDResolutionResult, type DIDResolver } from 'did-resolver';
import { LRUCache } from 'lru-cache';
import { DidError, type DidErrorCode } from './errors.js';
import { resolveDidKey } from './method-key.js';
import { resolveDidJwk } from './method-jwk.js';
import { resolveDidWeb } from './method-web.js';
import { defaultLookup } from './host-guard.js';
import { findVerificationMethod } from './dereference.js';
import type { DereferencedMethod, DidResolver, ResolverOptions, VerificationRelationshipName } from './types.js';

const EMPTY = { didDocument: null, didDocumentMetadata: {} } as const;

// DID Resolution metadata `error` values for our codes.
const METADATA_ERROR: Record<DidErrorCode, string> = {
  DID_INVALID: 'invalidDid',
  DID_WEB_FORBIDDEN_HOST: 'invalidDid',
  DID_METHOD_NOT_SUPPORTED: 'methodNotSupported',
  DID_DOCUMENT_INVALID: 'invalidDidDocument',
  DID_RESOLUTION_ERROR: 'notFound',
  DID_WEB_TOO_LARGE: 'notFound',
  DID_WEB_TIMEOUT: 'notFound',
  DID_WEB_REDIRECT: 'notFound',
  DID_URL_NOT_FOUND: 'notFound',
};

function failure(err: unknown): DIDResolutionResult {
  const e = err instanceof DidError ? err : new DidError('DID_RESOLUTION_ERROR', 'Internal resolver error.', { transient: true, cause: err });
  return {
    ...EMPTY,
    didResolutionMetadata: { error: METADATA_ERROR[e.code as DidErrorCode] ?? 'internalError', code: e.code, message: e.message, transient: e.transient },
  };
}

function method(fn: (did: string) => Promise<DIDDocument>): DIDResolver {
  return async (did) => {
    try {
      return { didDocument: await fn(did), didDocumentMetadata: {}, didResolutionMetadata: { contentType: 'application/did+json' } };
    } catch (err) {
      return failure(err);
    }
  };
}

/** Turn a failed resolution result back into the DidError it stands for. */
export function resolutionError(did: string, result: DIDResolutionResult): DidError {
  const m = result.didResolutionMetadata;
  const code = (typeof m.code === 'string' ? m.code : m.error === 'methodNotSupported' ? 'DID_METHOD_NOT_SUPPORTED' : m.error === 'invalidDid' ? 'DID_INVALID' : 'DID_RESOLUTION_ERROR') as DidErrorCode;
  return new DidError(code, typeof m.message === 'string' ? m.message : `Could not resolve ${did} (${String(m.error)}).`, {
    transient: m.transient === true,
    detail: { did, error: m.error },
  });
}

/** Build the DID resolver: did:key, did:jwk, did:web (guarded), own DIDs first, LRU cache with TTL. */
export function createResolver(opts: ResolverOptions = {}): DidResolver {
  const now = opts.now ?? Date.now;
  const lru = new LRUCache<string, DIDResolutionResult>({
    max: opts.cache?.max ?? 500,
    ttl: opts.cache?.ttlMs ?? 5 * 60_000,
    perf: { now },
    ttlResolution: 0, // read the injected clock on every check
  });
  // Only successes are cached: a transient failure must not stick for the TTL.
  const cache: DIDCache = async (parsed, resolve) => {
    const hit = lru.get(parsed.did);
    if (hit) return structuredClone(hit);
    const result = await resolve();
    if (result.didDocument && !result.didResolutionMetadata.error) lru.set(parsed.did, structuredClone(result));
    return result;
  };
  const webDeps = {
    fetch: opts.fetch ?? globalThis.fetch,
    lookup: opts.lookup ?? defaultLookup,
    allowPrivateHosts: opts.allowPrivateHosts ?? false,
    allowHttp: opts.allowHttp ?? false,
    timeoutMs: opts.timeoutMs ?? 3000,
    maxBytes: opts.maxBytes ?? 256 * 1024,
  };
  const registry = new Resolver(
    {
      key: method(resolveDidKey),
      jwk: method(resolveDidJwk),
      web: method((did) => resolveDidWeb(did, webDeps)),
    },
    { cache },
  );

  async function resolve(did: string): Promise<DIDResolutionResult> {
    if (did.includes('#') || did.includes('?') || did.includes('/')) {
      return failure(new DidError('DID_INVALID', 'Expected a DID, got a DID URL.', { detail: { did } }));
    }
    if (opts.resolveOwn) {
      try {
        const own = await opts.resolveOwn(did);
        if (own) return { didDocument: structuredClone(own), didDocumentMetadata: {}, didResolutionMetadata: { contentType: 'application/did+json' } };
      } catch (err) {
        return failure(new DidError('DID_RESOLUTION_ERROR', 'Own DID lookup failed.', { transient: true, detail: { did }, cause: err }));
      }
    }
    const result = await registry.resolve(did);
    if (result.didResolutionMetadata.error === 'unsupportedDidMethod') {
      return failure(new DidError('DID_METHOD_NOT_SUPPORTED', `DID method of ${did} is not supported.`, { detail: { did } }));
    }
    return result;
  }

  return withResolve(resolve);
}

/**
 * The DidResolver operations over one `resolve` function. `scoped()` gives a resolver that
 * resolves each DID at most once for its lifetime (one verification looks up the issuer's
 * DID several times: issuer check, proof key, trust). Own DIDs come from the institutions
 * service, which keeps them until the store announces a change (a key retired a moment ago,
 * on any replica, is not served).
 */
function withResolve(resolve: (did: string) => Promise<DIDResolutionResult>): DidResolver {
  async function resolveDocument(did: string): Promise<DIDDocument> {
    const result = await resolve(did);
    if (!result.didDocument || result.didResolutionMetadata.error) throw resolutionError(did, result);
    return result.didDocument;
  }

  async function dereference(didUrl: string): Promise<DereferencedMethod | DIDDocument> {
    const hash = didUrl.indexOf('#');
    const doc = await resolveDocument(hash === -1 ? didUrl : didUrl.slice(0, hash));
    if (hash === -1) return doc;
    return findVerificationMethod(doc, didUrl);
  }

  async function getVerificationMethod(didUrl: string, relationship?: VerificationRelationshipName): Promise<DereferencedMethod> {
    const hash = didUrl.indexOf('#');
    if (hash === -1) throw new DidError('DID_INVALID', 'A verification method id needs a #fragment.', { detail: { didUrl } });
    const doc = await resolveDocument(didUrl.slice(0, hash));
    return findVerificationMethod(doc, didUrl, relationship);
  }

  function scoped(): DidResolver {
    const memo = new Map<string, Promise<DIDResolutionResult>>();
    return withResolve(async (did) => {
      let pending = memo.get(did);
      if (!pending) memo.set(did, (pending = resolve(did)));
      // Callers may decorate what they get: each receives its own copy.
      return structuredClone(await pending);
    });
  }

  return { resolve, resolveDocument, dereference, getVerificationMethod, scoped };
}
