declare module '@digitalbazaar/ed25519-multikey' {
  export interface Ed25519KeyPair {
    id?: string;
    controller?: string;
    type?: string;
    publicKeyMultibase?: string;
    publicKey: Uint8Array;
    secretKey?: Uint8Array;
    export(opts?: { publicKey?: boolean; secretKey?: boolean; includeContext?: boolean; raw?: boolean; canonicalize?: boolean }): Promise<Record<string, unknown>>;
    signer(): { id?: string; algorithm: string; sign(input: { data: Uint8Array }): Promise<Uint8Array> };
    verifier(): { id?: string; algorithm: string; verify(input: { data: Uint8Array; signature: Uint8Array }): Promise<boolean> };
  }
  export function generate(opts?: { id?: string; controller?: string; seed?: Uint8Array }): Promise<Ed25519KeyPair>;
  export function from(key: Record<string, unknown>): Promise<Ed25519KeyPair>;
  export function fromJwk(opts: { jwk: Record<string, unknown>; secretKey?: boolean; id?: string; controller?: string }): Promise<Ed25519KeyPair>;
  export function toJwk(opts: { keyPair: unknown; secretKey?: boolean }): Promise<Record<string, unknown>>;
}
