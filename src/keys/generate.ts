import { createHash, randomBytes } from 'node:crypto';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';
import { BadRequestError } from '../errors.js';
import { encryptSecret } from './encryption.js';
import { assertKek } from './kek.js';
import { importMultikey, publicJwkOf } from './multikey.js';
import type { KeyAlgorithm, KeyRecord } from './types.js';

/** Options of generateKeyRecord(). */
export interface GenerateKeyOptions {
  algorithm: KeyAlgorithm;
  /** DID that controls the key (the institution's did:web). */
  controller: string;
  /** Verification method fragment without '#'; default `key-<alg>-<8 hex of the public key hash>`. */
  fragment?: string;
  kek: Uint8Array;
  now: () => Date;
  /** Randomness for the GCM nonce (tests inject a fixed source). */
  random?: (n: number) => Uint8Array;
}

const FRAGMENT = /^[A-Za-z0-9._~-]{1,64}$/;

function defaultFragment(algorithm: KeyAlgorithm, publicKeyMultibase: string): string {
  const h = createHash('sha256').update(publicKeyMultibase).digest('hex').slice(0, 8);
  return `key-${algorithm === 'Ed25519' ? 'ed25519' : 'p256'}-${h}`;
}

/** Generate a fresh institution key pair and return its storable record (private key encrypted). */
export async function generateKeyRecord(opts: GenerateKeyOptions): Promise<KeyRecord> {
  assertKek(opts.kek);
  const kp = opts.algorithm === 'Ed25519'
    ? await Ed25519Multikey.generate()
    : await EcdsaMultikey.generate({ curve: 'P-256' });
  const exported = await kp.export({ publicKey: true, secretKey: true, includeContext: false });
  return keyRecordFromSecret({ ...opts, publicKeyMultibase: String(exported.publicKeyMultibase), secretKeyMultibase: String(exported.secretKeyMultibase) });
}

/** Build a record from existing Multikey material (imports, fixed test keys); checks the pair matches. */
export async function keyRecordFromSecret(opts: GenerateKeyOptions & { publicKeyMultibase: string; secretKeyMultibase: string }): Promise<KeyRecord> {
  assertKek(opts.kek);
  const fragment = opts.fragment ?? defaultFragment(opts.algorithm, opts.publicKeyMultibase);
  if (!FRAGMENT.test(fragment)) {
    throw new BadRequestError('KEY_FRAGMENT_INVALID', 'A key fragment may use only letters, digits and . _ ~ - (1–64 characters).', { fragment });
  }
  const id = `${opts.controller}#${fragment}`;
  const mismatch = () => new BadRequestError('KEY_PAIR_MISMATCH', 'The secret key is malformed or does not match the public key.');
  // WebCrypto (P-256) already refuses a pair whose points disagree at import time.
  const kp = await importMultikey(opts.algorithm, { id, controller: opts.controller, publicKeyMultibase: opts.publicKeyMultibase, secretKeyMultibase: opts.secretKeyMultibase })
    .catch(() => { throw mismatch(); });
  // A secret that does not belong to the public key would produce unverifiable credentials.
  const probe = new TextEncoder().encode('microcred key pair check');
  const signature = await kp.signer().sign({ data: probe });
  if (!(await kp.verifier().verify({ data: probe, signature }))) {
    throw mismatch();
  }
  return {
    id,
    algorithm: opts.algorithm,
    controller: opts.controller,
    publicKeyMultibase: opts.publicKeyMultibase,
    publicJwk: await publicJwkOf(opts.algorithm, kp),
    encryptedPrivateKey: encryptSecret(Buffer.from(opts.secretKeyMultibase, 'utf8'), opts.kek, id, opts.random ?? randomBytes),
    createdAt: opts.now().toISOString(),
  };
}
