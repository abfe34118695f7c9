import { DidError } from './errors.js';

// A DNS name, optionally with the one encoded character did:web allows in the host: the port colon.
const HOST_RE = /^([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*)(?:%3A([0-9]{1,5}))?$/i;
// Path segments: DID Core idchars (ALPHA / DIGIT / "." / "-" / "_" / pct-encoded). Encoded octets
// stay encoded in the URL, but those a server may decode into URL structure are refused below.
const SEGMENT_RE = /^(?:[A-Za-z0-9._-]|%[0-9A-Fa-f]{2})+$/;
// Encoded "/", "\", "?", "#", "%" and control characters: a server that decodes them would see
// another path, query or fragment than the DID names.
const STRUCTURAL_OCTET = /%(?:2[fF]|5[cC]|3[fF]|23|25|[01][0-9A-Fa-f]|7[fF])/;

/** Whether a path segment is "." or "..", also when encoded: WHATWG URL treats %2e as a dot. */
const isDotSegment = (seg: string): boolean => /^(?:\.|%2[eE]){1,2}$/.test(seg);

/** Parsed did:web target. */
export interface DidWebTarget {
  host: string;
  port: number | undefined;
  path: string[];
  url: URL;
}

/** did:web:host%3Aport:a:b → https://host:port/a/b/did.json; bare host → /.well-known/did.json (did:web spec §3.2). */
export function didWebToUrl(did: string, scheme: 'https' | 'http' = 'https'): DidWebTarget {
  const invalid = (why: string): DidError => new DidError('DID_INVALID', `Invalid did:web: ${why}.`, { detail: { did } });
  if (!did.startsWith('did:web:')) throw invalid('not a did:web');
  const parts = did.slice('did:web:'.length).split(':');
  const hostPart = parts.shift() ?? '';
  const m = HOST_RE.exec(hostPart);
  if (!m || !m[1]) {
    throw new DidError('DID_WEB_FORBIDDEN_HOST', 'did:web host must be a plain DNS name (only %3A for the port may be encoded).', { detail: { did } });
  }
  const host = m[1].toLowerCase();
  let port: number | undefined;
  if (m[2] !== undefined) {
    port = Number(m[2]);
    if (port < 1 || port > 65535) throw invalid('port out of range');
  }
  for (const seg of parts) {
    if (!SEGMENT_RE.test(seg) || STRUCTURAL_OCTET.test(seg) || isDotSegment(seg)) throw invalid(`bad path segment "${seg}"`);
  }
  const path = parts.length > 0 ? `/${parts.join('/')}/did.json` : '/.well-known/did.json';
  const url = new URL(`${scheme}://${host}${port !== undefined ? `:${port}` : ''}${path}`);
  // WHATWG URL rewrites numeric hosts (e.g. "2130706433" → 127.0.0.1); refuse anything it changed.
  if (url.hostname !== host) {
    throw new DidError('DID_WEB_FORBIDDEN_HOST', 'did:web host is an IP address in disguise.', { detail: { did, normalized: url.hostname } });
  }
  return { host, port, path: parts, url };
}
