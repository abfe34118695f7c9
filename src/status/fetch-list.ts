import { assertPublicHost, defaultLookup, readCapped, type LookupFn } from '../did/index.js';
import { StatusError } from './errors.js';

/** Limits and world for fetching someone else's status list. */
export interface FetchListOptions {
  fetch: typeof fetch;
  /** DNS lookup (every A/AAAA answer is checked); injected for tests. */
  lookup?: LookupFn;
  /** Tests only: allow http:// and private/loopback hosts (127.0.0.1 test servers). */
  allowPrivateNetwork: boolean;
  timeoutMs: number;
  /** Cap on the response body (compressed list inside JSON); default 1 MiB. */
  maxBytes: number;
}

const retrieval = (message: string, detail?: Record<string, unknown>, cause?: unknown) =>
  new StatusError('STATUS_RETRIEVAL_ERROR', message, detail, cause === undefined ? undefined : { cause });

/** The did:web SSRF rules (DNS names only, every answer public), reported as a retrieval failure. */
async function assertPublic(hostname: string, lookup: LookupFn): Promise<void> {
  try {
    await assertPublicHost(hostname, lookup);
  } catch (err) {
    throw retrieval(`Status list host refused: ${(err as Error).message}`, { host: hostname }, err);
  }
}

const listTooLarge = (maxBytes: number, detail: Record<string, unknown>) => retrieval(`Status list exceeds ${maxBytes} bytes.`, detail);

/** GET a remote status list credential (JSON) under scheme, SSRF, redirect, time and size limits. */
export async function fetchListCredential(url: string, opts: FetchListOptions): Promise<Record<string, unknown>> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new StatusError('STATUS_RETRIEVAL_ERROR', 'statusListCredential is not a URL.', { url });
  }
  const schemes = opts.allowPrivateNetwork ? ['https:', 'http:'] : ['https:'];
  if (!schemes.includes(target.protocol)) throw retrieval('Status lists are fetched over HTTPS only.', { url });
  if (!opts.allowPrivateNetwork) await assertPublic(target.hostname, opts.lookup ?? defaultLookup);
  const signal = AbortSignal.timeout(opts.timeoutMs);
  let text: string;
  try {
    const res = await opts.fetch(target, { redirect: 'manual', signal, headers: { accept: 'application/vc, application/vc+ld+json, application/ld+json, application/json' } });
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      throw retrieval(`Status list fetch failed with HTTP ${res.status}.`, { url, status: res.status });
    }
    text = await readCapped(res, opts.maxBytes, listTooLarge);
  } catch (err) {
    if (err instanceof StatusError) throw err;
    if (signal.aborted) throw retrieval(`Status list fetch exceeded ${opts.timeoutMs} ms.`, { url }, err);
    throw retrieval(`Status list fetch failed: ${(err as Error).message}`, { url }, err);
  }
  try {
    const json = JSON.parse(text) as unknown;
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error('not an object');
    return json as Record<string, unknown>;
  } catch (err) {
    throw new StatusError('STATUS_LIST_INVALID', 'The status list is not a JSON object.', { url }, { cause: err });
  }
}
