import { DataIntegrityProof, type Cryptosuite } from '@digitalbazaar/data-integrity';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { cryptosuite as ecdsaRdfc2019 } from '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite';
import { Ed25519Signature2020 } from '@digitalbazaar/ed25519-signature-2020';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { createPublicKey, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { canonicalizerOf, type DocumentLoader } from '../jsonld/index.js';

/** Data Integrity cryptosuites we accept, by `cryptosuite` name. */
export const ALLOWED_CRYPTOSUITES = ['eddsa-rdfc-2022', 'ecdsa-rdfc-2019'] as const;
/** Legacy proof types we accept. */
export const ALLOWED_LEGACY_TYPES = ['Ed25519Signature2020'] as const;

// Ed25519 public keys imported into node:crypto, by raw key bytes. Importing costs about as much
// as the signature check itself and depends on nothing but the bytes, so it is safe to share
// across verifications: which key a DID lists is still resolved for every verification.
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const MAX_KEYS = 1024;
const ed25519Keys = new Map<string, KeyObject>();

function ed25519PublicKey(raw: Uint8Array): KeyObject {
  const id = Buffer.from(raw).toString('base64');
  let key = ed25519Keys.get(id);
  if (key === undefined) {
    key = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
    if (ed25519Keys.size >= MAX_KEYS) ed25519Keys.delete(ed25519Keys.keys().next().value!);
    ed25519Keys.set(id, key);
  } else {
    // Least recently used goes first when full.
    ed25519Keys.delete(id);
    ed25519Keys.set(id, key);
  }
  return key;
}

/** eddsa-rdfc-2022 with the stock key parsing (every Multikey/JWK form) and imported keys reused. */
const eddsaCached: Cryptosuite = {
  ...eddsaRdfc2022,
  async createVerifier({ verificationMethod }: { verificationMethod: Record<string, unknown> }) {
    const pair = (await Ed25519Multikey.from(verificationMethod)) as { id?: string; publicKey?: Uint8Array };
    if (!pair.publicKey || pair.publicKey.length !== 32) return eddsaRdfc2022.createVerifier({ verificationMethod });
    const key = ed25519PublicKey(pair.publicKey);
    return { algorithm: 'Ed25519', id: pair.id, verify: async ({ data, signature }: { data: Uint8Array; signature: Uint8Array }) => cryptoVerify(null, data, key, signature) };
  },
} as Cryptosuite;

// RDFC-1.0 work bound (rdf-canonize's own default, made explicit) plus an abort signal for time.
// With a worker pool on the loader the same options go to the worker (the signal's deadline
// becomes timeoutMs there, and the signal still aborts the wait here).
function bounded(cs: Cryptosuite, signal: AbortSignal, timeoutMs: number | undefined, loader: DocumentLoader | undefined): Cryptosuite {
  const pooled = canonicalizerOf(loader);
  if (!pooled) return { ...cs, canonize: (input, options) => cs.canonize(input, { ...options, maxWorkFactor: 1, signal }) };
  return { ...cs, canonize: (input, options) => pooled(input, { ...options, maxWorkFactor: 1, signal, ...(timeoutMs ? { timeoutMs } : {}) }) };
}

/**
 * Verification suites whose canonicalization stops when `signal` aborts or the work bound is
 * hit; canonicalization runs on the loader's worker pool when one is attached.
 */
export function boundedVerificationSuites(signal: AbortSignal, opts: { timeoutMs?: number; documentLoader?: DocumentLoader } = {}): unknown[] {
  return [
    new DataIntegrityProof({ cryptosuite: bounded(eddsaCached, signal, opts.timeoutMs, opts.documentLoader) }),
    new DataIntegrityProof({ cryptosuite: bounded(ecdsaRdfc2019, signal, opts.timeoutMs, opts.documentLoader) }),
    new Ed25519Signature2020({ canonizeOptions: { canonizeOptions: { maxWorkFactor: 1, signal } } }),
  ];
}

/** Name of a proof's suite for messages and allow-list checks. */
export function suiteName(proof: Record<string, unknown>): string {
  return proof.type === 'DataIntegrityProof' ? `DataIntegrityProof/${String(proof.cryptosuite)}` : String(proof.type);
}

/** True when the proof uses an allowed suite. */
export function isAllowedSuite(proof: Record<string, unknown>): boolean {
  if (proof.type === 'DataIntegrityProof') return (ALLOWED_CRYPTOSUITES as readonly unknown[]).includes(proof.cryptosuite);
  return (ALLOWED_LEGACY_TYPES as readonly unknown[]).includes(proof.type);
}
