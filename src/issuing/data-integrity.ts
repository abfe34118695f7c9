import * as vc from '@digitalbazaar/vc';
import { DataIntegrityProof, type Cryptosuite } from '@digitalbazaar/data-integrity';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { cryptosuite as ecdsaRdfc2019 } from '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite';
import { Ed25519Signature2020 } from '@digitalbazaar/ed25519-signature-2020';
import { AppError, BadRequestError, InternalError } from '../errors.js';
import { CONTEXTS, canonicalizerOf, isCanonicalizationLimit, mapJsonLdError, type Canonicalize, type DocumentLoader } from '../jsonld/index.js';
import type { KeyAlgorithm } from '../keys/index.js';
import { detectDataModelVersion } from './prepare.js';
import type { Credential, DataIntegrityOptions, DataIntegritySuite } from './types.js';

const REQUIRED_ALGORITHM: Record<DataIntegritySuite, KeyAlgorithm> = {
  'eddsa-rdfc-2022': 'Ed25519',
  'ecdsa-rdfc-2019': 'P-256',
  Ed25519Signature2020: 'Ed25519',
};

function contextsOf(c: Credential): unknown[] {
  const ctx = c['@context'];
  return Array.isArray(ctx) ? [...ctx] : [ctx];
}

/**
 * The credential with the suite's context appended when the credential does not already
 * define the proof type. VC 2.0 defines DataIntegrityProof itself; VC 1.1 does not, so
 * Data Integrity needs data-integrity/v2 (the library would add it anyway — doing it here
 * keeps it explicit). Ed25519Signature2020 always needs its own suite context.
 */
function withSuiteContext(c: Credential, suite: DataIntegritySuite): Credential {
  const ctx = contextsOf(c);
  if (suite === 'Ed25519Signature2020') {
    if (!ctx.includes(CONTEXTS.ED25519_2020_V1)) ctx.push(CONTEXTS.ED25519_2020_V1);
  } else if (detectDataModelVersion(c) === '1.1' && !ctx.includes(CONTEXTS.DATA_INTEGRITY_V2) && !ctx.includes(CONTEXTS.DATA_INTEGRITY_V1)) {
    ctx.push(CONTEXTS.DATA_INTEGRITY_V2);
  }
  return { ...c, '@context': ctx };
}

/**
 * The cryptosuite with its canonize() swapped for the loader's canonicalizer (worker pool)
 * when one is attached; both run jsonld.toRDF + rdf-canonize with the same options.
 */
export function withLoaderCanonicalizer(suite: Cryptosuite, loader: DocumentLoader | undefined): Cryptosuite {
  const canonize: Canonicalize | undefined = canonicalizerOf(loader);
  return canonize ? { ...suite, canonize: (input, options) => canonize(input, options) } : suite;
}

function createSuite(opts: DataIntegrityOptions, date: Date): unknown {
  switch (opts.suite) {
    case 'eddsa-rdfc-2022':
      return new DataIntegrityProof({ signer: opts.signer, date, cryptosuite: withLoaderCanonicalizer(eddsaRdfc2022, opts.documentLoader) });
    case 'ecdsa-rdfc-2019':
      return new DataIntegrityProof({ signer: opts.signer, date, cryptosuite: withLoaderCanonicalizer(ecdsaRdfc2019, opts.documentLoader) });
    case 'Ed25519Signature2020':
      return new Ed25519Signature2020({ signer: opts.signer, date });
  }
}

/**
 * Sign a prepared credential with a Data Integrity proof via @digitalbazaar/vc issue();
 * canonicalization runs in jsonld safe mode (the suites' default), `created` = opts.now().
 * Returns a new object; the argument is not mutated.
 */
export async function signDataIntegrity(credential: Credential, opts: DataIntegrityOptions): Promise<Credential> {
  const required = REQUIRED_ALGORITHM[opts.suite];
  if (!required) throw new InternalError('SUITE_UNSUPPORTED', `Unknown proof suite ${String(opts.suite)}.`);
  if (opts.signer.algorithm !== required) {
    throw new InternalError('SIGNER_ALGORITHM_MISMATCH', `${opts.suite} needs an ${required} key, got ${opts.signer.algorithm}.`);
  }
  // vc.issue() and jsigs.sign() write into the document they get, at its top level only
  // (issuanceDate, @context, proof): the shallow copy withSuiteContext makes, with its own
  // @context array, keeps the caller's credential untouched without a deep copy of ~100 KB.
  const doc = withSuiteContext(credential, opts.suite);
  const now = opts.now();
  try {
    return await vc.issue({ credential: doc, suite: createSuite(opts, now), documentLoader: opts.documentLoader, now });
  } catch (err) {
    if (err instanceof AppError) throw err;
    // A graph whose canonicalization blows past the work bound is the client's input, not our fault.
    if (isCanonicalizationLimit(err)) {
      throw new BadRequestError('RESOURCE_LIMIT_EXCEEDED', 'The credential\'s graph is too costly to canonicalize (too many indistinguishable blank nodes).', undefined, { cause: err });
    }
    const mapped = mapJsonLdError(err);
    if (mapped) throw mapped;
    throw new InternalError('SIGNING_FAILED', 'The credential could not be signed.', 500, { cause: err });
  }
}
