declare module '@digitalbazaar/ed25519-signature-2020' {
  export class Ed25519Signature2020 {
    constructor(opts?: { key?: unknown; signer?: unknown; verifier?: unknown; date?: string | Date; canonizeOptions?: Record<string, unknown> });
    date?: unknown;
  }
  export const suiteContext: { CONTEXT_URL: string; CONTEXT: unknown };
}
