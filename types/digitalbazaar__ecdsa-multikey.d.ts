declare module '@digitalbazaar/ecdsa-multikey' {
  export interface EcdsaKeyPair {
    id?: string;
    controller?: string;
    type?: string;
    publicKeyMultibase?: string;
    export(opts?: { publicKey?: boolean; secretKey?: boolean; includeContext?: boolean }): Promise<Record<string, unknown>>;
    signer(): { id?: string; algorithm: string; sign(input: { data: Uint8Array }): Promise<Uint8Array> };
    verifier(): { id?: string; algorithm: string; verify(input: { data: Uint8Array; signature: Uint8Array }): Promise<boolean> };
  }
  export function generate(opts: { curve: 'P-256' | 'P-384' | 'P-521'; id?: string; controller?: string }): Promise<EcdsaKeyPair>;
  export function from(key: Record<string, unknown>, options?: { keyAgreement?: boolean }): Promise<EcdsaKeyPair>;
  export function fromJwk(opts: { jwk: Record<string, unknown>; secretKey?: boolean; id?: string; controller?: string }): Promise<EcdsaKeyPair>;
  export function toJwk(opts: { keyPair: unknown; secretKey?: boolean }): Promise<Record<string, unknown>>;
}
