declare module '@digitalbazaar/data-integrity' {
  export interface Cryptosuite {
    name: string;
    requiredAlgorithm: string | string[];
    canonize(input: unknown, options: Record<string, unknown>): Promise<string>;
    createVerifier(opts: { verificationMethod: Record<string, unknown> }): Promise<unknown>;
  }
  export class DataIntegrityProof {
    constructor(opts?: { signer?: unknown; date?: string | Date; cryptosuite: Cryptosuite; legacyContext?: boolean });
    date?: unknown;
  }
}
