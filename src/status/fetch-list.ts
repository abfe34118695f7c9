import { isIP } from 'node:net';
import { lookup as dnsLookup } from 'node:dns/promises';
import { isPublicAddress, type LookupFn } from '../did/index.js';
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

/** Same SSRF rules as did:web: DNS names only, every answer must be a public unicast address. */
async function assertPublic(hostname: string, lookup: LookupFn): Promise<void> {
  const bare = hostname.replace(/^\[|\]$/g, '');
  if (isIP(bare) !== 0 || bare === 'localhost' || bare.endsWith('.localhost')) {
    throw retrieval('Status list host must be a public DNS name.', { host: hostname });
  }
  let answers: Array<{ address: string }>;
  try {
    answers = await lookup(bare);
  } catch (err) {
    throw retrieval(`DNS lookup failed for ${bare}.`, { host: bare }, err);
  }
  if (answers.length === 0 || answers.some((a) => !isPublicAddress(a.address))) {
    throw retrieval('Status list host does not resolve to public addresses only.', { host: bare });
  }
}

async function readBody(res: Response, maxBytes: number): Promise<string> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw retrieval(`Status list exceeds ${maxBytes} bytes.`, { declared });
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw retrieval(`Status list exceeds ${maxBytes} bytes.`, { read: total });
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

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
  if (!opts.allowPrivateNetwork) await assertPublic(target.hostname, opts.lookup ?? ((h) => dnsLookup(h, { all: true, verbatim: true })));
  const signal = AbortSignal.timeout(opts.timeoutMs);
  let text: string;
  try {
    const res = await opts.fetch(target, { redirect: 'manual', signal, headers: { accept: 'application/vc, application/vc+ld+json, application/ld+json, application/json' } });
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      throw retrieval(`Status list fetch failed with HTTP ${res.status}.`, { url, status: res.status });
    }
    text = await readBody(res, opts.maxBytes);
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
