import type { DIDDocument } from 'did-resolver';
import { DidError } from './errors.js';
import { didWebToUrl } from './did-web-url.js';
import { assertPublicHost } from './host-guard.js';
import { readCapped } from './read-capped.js';
import { normalizeDidDocument } from './document-shape.js';
import type { LookupFn } from './types.js';

/** Settings for did:web fetching, all injected by createResolver. */
export interface DidWebDeps {
  fetch: typeof fetch;
  lookup: LookupFn;
  allowPrivateHosts: boolean;
  allowHttp: boolean;
  timeoutMs: number;
  maxBytes: number;
}

/** Fetch and check a did:web document under SSRF, size, time and redirect limits. */
export async function resolveDidWeb(did: string, deps: DidWebDeps): Promise<DIDDocument> {
  const target = didWebToUrl(did, deps.allowHttp ? 'http' : 'https');
  if (!deps.allowPrivateHosts) await assertPublicHost(target.url.hostname, deps.lookup);
  const signal = AbortSignal.timeout(deps.timeoutMs);
  let text: string;
  try {
    const res = await deps.fetch(target.url, {
      redirect: 'manual',
      signal,
      headers: { accept: 'application/did+json, application/did+ld+json, application/json' },
    });
    // A manual redirect shows up as a 3xx (node) or an opaque status-0 response (browsers).
    if ((res.status >= 300 && res.status < 400) || res.type === 'opaqueredirect' || res.status === 0) {
      await res.body?.cancel().catch(() => undefined);
      throw new DidError('DID_WEB_REDIRECT', 'did:web documents must be served without redirects.', { detail: { did, status: res.status } });
    }
    if (res.status === 404 || res.status === 410) {
      await res.body?.cancel().catch(() => undefined);
      throw new DidError('DID_RESOLUTION_ERROR', `No DID document at ${target.url.href}.`, { detail: { did, status: res.status, notFound: true } });
    }
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      throw new DidError('DID_RESOLUTION_ERROR', `DID document fetch failed with HTTP ${res.status}.`, {
        transient: res.status >= 500 || res.status === 429,
        detail: { did, status: res.status },
      });
    }
    text = await readCapped(res, deps.maxBytes);
  } catch (err) {
    if (err instanceof DidError) throw err;
    if (signal.aborted) {
      throw new DidError('DID_WEB_TIMEOUT', `did:web fetch exceeded ${deps.timeoutMs} ms.`, { transient: true, detail: { did }, cause: err });
    }
    throw new DidError('DID_RESOLUTION_ERROR', `did:web fetch failed: ${(err as Error).message}`, { transient: true, detail: { did }, cause: err });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new DidError('DID_DOCUMENT_INVALID', 'DID document is not valid JSON.', { detail: { did }, cause: err });
  }
  return normalizeDidDocument(did, json);
}
