import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { schemasPath } from '../paths.js';

/** Bundled context URL → parsed, deep-frozen document. */
export type ContextMap = ReadonlyMap<string, Readonly<Record<string, unknown>>>;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
  }
  return value;
}

const cache = new Map<string, ContextMap>();

/** Read and parse every bundled context once per directory (frozen, so callers cannot corrupt the shared copy). */
export function loadBundledContexts(dir: string = schemasPath('contexts')): ContextMap {
  const hit = cache.get(dir);
  if (hit) return hit;
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as Record<string, string>;
  const map = new Map<string, Readonly<Record<string, unknown>>>();
  for (const [url, file] of Object.entries(index)) {
    map.set(url, deepFreeze(JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>));
  }
  cache.set(dir, map);
  return map;
}

/** Well-known context URLs used across the service. */
export const CONTEXTS = Object.freeze({
  VC_V1: 'https://www.w3.org/2018/credentials/v1',
  VC_V2: 'https://www.w3.org/ns/credentials/v2',
  VC_EXAMPLES_V1: 'https://www.w3.org/2018/credentials/examples/v1',
  VC_EXAMPLES_V2: 'https://www.w3.org/ns/credentials/examples/v2',
  DATA_INTEGRITY_V1: 'https://w3id.org/security/data-integrity/v1',
  DATA_INTEGRITY_V2: 'https://w3id.org/security/data-integrity/v2',
  MULTIKEY_V1: 'https://w3id.org/security/multikey/v1',
  ED25519_2020_V1: 'https://w3id.org/security/suites/ed25519-2020/v1',
  DID_V1: 'https://www.w3.org/ns/did/v1',
  SECURITY_V2: 'https://w3id.org/security/v2',
  STATUS_LIST_V1: 'https://www.w3.org/ns/credentials/status/v1',
  ELM_EDC_AP: 'http://data.europa.eu/snb/model/context/edc-ap',
});

/** Every context URL the loader will serve (from schemas/contexts/index.json). */
export function allowedContextUrls(): string[] {
  return [...loadBundledContexts().keys()];
}
