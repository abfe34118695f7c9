import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import { Agent, fetch as undiciFetch } from 'undici';
import { isPublicAddress } from './host-guard.js';

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** Error for a connection refused because the host is (or resolves to) a non-public address. */
function refused(host: string, address?: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`refusing to connect to ${host}${address ? ` (${address})` : ''}: not a public address`), { code: 'ERR_NON_PUBLIC_ADDRESS' });
}

/** net/tls `lookup` that resolves every address of a host and refuses the host if any is not public. */
function publicOnlyLookup(hostname: string, options: { all?: boolean; family?: number }, callback: LookupCallback): void {
  dnsLookup(hostname, { family: options.family ?? 0, all: true, verbatim: true }, (err, addresses) => {
    if (err) return callback(err, '', 0);
    const list = addresses as LookupAddress[];
    const bad = list.find((a) => !isPublicAddress(a.address));
    if (list.length === 0 || bad) return callback(refused(hostname, bad?.address), '', 0);
    if (options.all) return callback(null, list);
    return callback(null, list[0]!.address, list[0]!.family);
  });
}

/**
 * A fetch that can only connect to public unicast addresses. The check runs inside the socket's own
 * DNS lookup, so a name cannot resolve to a public address when checked and to a private one when
 * connected (DNS rebinding); the callers' pre-checks stay for their clear error codes.
 */
export function createPublicOnlyFetch(): typeof fetch {
  // undici passes `connect` options on to net/tls.connect, whose `lookup` has this Node signature.
  const agent = new Agent({ connect: { lookup: publicOnlyLookup } as Agent.Options['connect'] });
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    // IP literals never reach the lookup: judge them here.
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) !== 0 && !isPublicAddress(host)) throw refused(host);
    return undiciFetch(url, { ...(init as object), dispatcher: agent } as Parameters<typeof undiciFetch>[1]);
  }) as unknown as typeof fetch;
}
