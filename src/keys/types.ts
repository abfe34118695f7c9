/** Key algorithms an institution holds. */
export type KeyAlgorithm = 'Ed25519' | 'P-256';

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
}
