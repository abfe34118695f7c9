import { isIP } from 'node:net';
import { lookup as dnsLookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';
import { DidError } from './errors.js';
import type { LookupFn } from './types.js';

/** Default DNS lookup: every A/AAAA address of the host. */
export const defaultLookup: LookupFn = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/** True when the address is public unicast; loopback, private, link-local, ULA, unspecified, etc. are not. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let addr = ipaddr.parse(address);
  // ::ffff:10.0.0.1 must be judged as the IPv4 address it carries.
  if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress()) {
    addr = (addr as ipaddr.IPv6).toIPv4Address();
  }
  return addr.range() === 'unicast';
}

/**
 * Refuse did:web hosts we must never contact: IP literals, localhost names, and names whose DNS
 * answers include any non-public address (all answers are checked, not just the first).
 */
export async function assertPublicHost(hostname: string, lookup: LookupFn): Promise<void> {
  const bare = hostname.replace(/^\[|\]$/g, '');
  if (isIP(bare) !== 0) {
    throw new DidError('DID_WEB_FORBIDDEN_HOST', 'did:web host must be a DNS name, not an IP literal.', { detail: { host: hostname } });
  }
  if (bare === 'localhost' || bare.endsWith('.localhost')) {
    throw new DidError('DID_WEB_FORBIDDEN_HOST', 'did:web host must not be localhost.', { detail: { host: hostname } });
  }
  let answers: Array<{ address: string }>;
  try {
    answers = await lookup(bare);
  } catch (err) {
    throw new DidError('DID_RESOLUTION_ERROR', `DNS lookup failed for ${bare}.`, { transient: true, detail: { host: bare }, cause: err });
  }
  if (answers.length === 0) {
    throw new DidError('DID_RESOLUTION_ERROR', `DNS returned no address for ${bare}.`, { transient: true, detail: { host: bare } });
  }
  const bad = answers.find((a) => !isPublicAddress(a.address));
  if (bad) {
    throw new DidError('DID_WEB_FORBIDDEN_HOST', 'did:web host resolves to a non-public address.', { detail: { host: bare, address: bad.address } });
  }
}
