/** Key algorithms an institution holds. */
export type KeyAlgorithm = 'Ed25519' | 'P-256';

/** JOSE `alg` for each key algorithm (RFC 8037 EdDSA; RFC 7518 ES256). */
export type JwsAlgorithm = 'EdDSA' | 'ES256';

/**
 * What issuing code receives instead of key bytes. Shape matches the signer interface the
 * Digital Bazaar cryptosuites expect ({id, algorithm, sign({data})}).
 */
export interface Signer {
  /** DID URL of the verification method, e.g. did:web:host:issuers:slug#key-ed25519-1. */
  readonly id: string;
  readonly algorithm: KeyAlgorithm;
  /** Raw signature (Ed25519: 64 bytes; P-256: IEEE P1363 r||s, 64 bytes). */
  sign(input: { data: Uint8Array }): Promise<Uint8Array>;
  /**
   * Compact JWS over `payload` with `protectedHeader` (its `alg` must match this key).
   * Optional so that signers without JOSE support (e.g. a future KMS) still fit.
   */
  signJws?(protectedHeader: Record<string, unknown> & { alg: JwsAlgorithm }, payload: Uint8Array): Promise<string>;
}

/** A public JWK (OKP Ed25519 or EC P-256), never with `d`. */
export interface PublicJwk {
  kty: 'OKP' | 'EC';
  crv: 'Ed25519' | 'P-256';
  x: string;
  y?: string;
  [k: string]: unknown;
}

/** AES-256-GCM ciphertext of a private key, every field base64url. */
export interface EncryptedPrivateKey {
  alg: 'A256GCM';
  /** 12-byte nonce. */
  iv: string;
  /** 16-byte GCM authentication tag. */
  tag: string;
  /** Ciphertext of the UTF-8 `secretKeyMultibase`. */
  ct: string;
}

/**
 * An institution key as stored (JSON-able; persisted in the institution_keys table). The private key is
 * encrypted under the KEK with the key `id` as additional authenticated data, so a record's
 * ciphertext cannot be moved to another key id undetected.
 */
export interface KeyRecord {
  /** DID URL of the verification method (`${controller}#${fragment}`). */
  id: string;
  algorithm: KeyAlgorithm;
  /** The DID that controls the key. */
  controller: string;
  publicKeyMultibase: string;
  publicJwk: PublicJwk;
  encryptedPrivateKey: EncryptedPrivateKey;
  /** ISO 8601 UTC. */
  createdAt: string;
}

/** The public part of a key, as needed to build DID documents. */
export interface PublicKeyInfo {
  /** DID URL (`did#fragment`) or a bare `#fragment`. */
  id: string;
  algorithm: KeyAlgorithm;
  publicKeyMultibase: string;
}

/** Public Multikey verification method document (Controlled Identifiers / Multikey v1). */
export interface MultikeyDocument {
  '@context'?: string | string[];
  id: string;
  type: 'Multikey';
  controller: string;
  publicKeyMultibase: string;
}
