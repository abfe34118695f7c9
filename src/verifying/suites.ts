import { DataIntegrityProof, type Cryptosuite } from '@digitalbazaar/data-integrity';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { cryptosuite as ecdsaRdfc2019 } from '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite';
import { Ed25519Signature2020 } from '@digitalbazaar/ed25519-signature-2020';
import { canonicalizerOf, type DocumentLoader } from '../jsonld/index.js';

/** Data Integrity cryptosuites we accept, by `cryptosuite` name. */
export const ALLOWED_CRYPTOSUITES = ['eddsa-rdfc-2022', 'ecdsa-rdfc-2019'] as const;
/** Legacy proof types we accept. */
export const ALLOWED_LEGACY_TYPES = ['Ed25519Signature2020'] as const;

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
    new DataIntegrityProof({ cryptosuite: bounded(eddsaRdfc2022, signal, opts.timeoutMs, opts.documentLoader) }),
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
