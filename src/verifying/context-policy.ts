/** Well-known context URLs. */
export const CTX = {
  VC_V1: 'https://www.w3.org/2018/credentials/v1',
  VC_V2: 'https://www.w3.org/ns/credentials/v2',
  EXAMPLES_V1: 'https://www.w3.org/2018/credentials/examples/v1',
  EXAMPLES_V2: 'https://www.w3.org/ns/credentials/examples/v2',
  ED25519_2020: 'https://w3id.org/security/suites/ed25519-2020/v1',
  DATA_INTEGRITY_V1: 'https://w3id.org/security/data-integrity/v1',
  DATA_INTEGRITY_V2: 'https://w3id.org/security/data-integrity/v2',
  STATUS_LIST_2021: 'https://w3id.org/vc/status-list/2021/v1',
  BITSTRING_STATUS_V1: 'https://www.w3.org/ns/credentials/status/v1',
  EDC_AP: 'http://data.europa.eu/snb/model/context/edc-ap',
} as const;

/** One accepted @context shape: `base` first, then any of `allowed` (each at most once, any order). */
export interface ContextKind {
  name: string;
  base: string;
  allowed: readonly string[];
}

/** The @context allow-list. Kinds sharing a base are alternatives. */
export interface ContextPolicy {
  kinds: readonly ContextKind[];
}

// Suite and status contexts a VC 1.1 document may add (the v1 context defines neither proofs nor status entries).
const V1_SUITES = [CTX.ED25519_2020, CTX.DATA_INTEGRITY_V1, CTX.DATA_INTEGRITY_V2, CTX.STATUS_LIST_2021, CTX.BITSTRING_STATUS_V1];

/** Default: VC 1.1 (optionally ELM/EDC) and VC 2.0 documents with our proof-suite and status contexts only. */
export const DEFAULT_CONTEXT_POLICY: ContextPolicy = {
  kinds: [
    // The W3C examples contexts are pinned copies, so spec test vectors verify without meaning drift.
    { name: 'vc1', base: CTX.VC_V1, allowed: [CTX.EXAMPLES_V1, ...V1_SUITES] },
    { name: 'vc1-edc', base: CTX.VC_V1, allowed: [CTX.EDC_AP, ...V1_SUITES] },
    // The v2 context already defines DataIntegrityProof and BitstringStatusListEntry.
    { name: 'vc2', base: CTX.VC_V2, allowed: [CTX.EXAMPLES_V2, CTX.ED25519_2020, CTX.BITSTRING_STATUS_V1] },
  ],
};

/** Outcome of applying the policy to a document's @context. */
export type ContextVerdict = { ok: true; kind: ContextKind } | { ok: false; code: 'CONTEXT_NOT_ALLOWED' | 'MALFORMED_VALUE_ERROR'; message: string };

/**
 * The rule: @context is a base URL or an array of URLs whose first entry is a kind's base and
 * whose other entries are all in that kind's allowed set; no inline objects, no duplicates.
 */
export function checkContext(context: unknown, policy: ContextPolicy = DEFAULT_CONTEXT_POLICY): ContextVerdict {
  const list = typeof context === 'string' ? [context] : context;
  if (!Array.isArray(list) || list.length === 0) {
    return { ok: false, code: 'MALFORMED_VALUE_ERROR', message: '@context must be a URL or a non-empty array of URLs.' };
  }
  if (list.some((c) => typeof c !== 'string')) {
    return { ok: false, code: 'CONTEXT_NOT_ALLOWED', message: 'Inline (embedded) @context objects are not accepted.' };
  }
  const urls = list as string[];
  if (new Set(urls).size !== urls.length) return { ok: false, code: 'CONTEXT_NOT_ALLOWED', message: '@context lists a URL twice.' };
  const candidates = policy.kinds.filter((k) => k.base === urls[0]);
  if (candidates.length === 0) {
    return { ok: false, code: 'CONTEXT_NOT_ALLOWED', message: `First @context entry must be a VC base context, got ${String(urls[0])}.` };
  }
  const rest = urls.slice(1);
  const kind = candidates.find((k) => rest.every((u) => k.allowed.includes(u)));
  if (!kind) {
    const stray = rest.filter((u) => !candidates.some((k) => k.allowed.includes(u)));
    return {
      ok: false,
      code: 'CONTEXT_NOT_ALLOWED',
      message: stray.length > 0 ? `@context entries not allowed: ${stray.join(', ')}.` : 'This combination of @context entries is not allowed.',
    };
  }
  return { ok: true, kind };
}
