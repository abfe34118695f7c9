declare module '@digitalbazaar/vc' {
  type Loader = (url: string) => Promise<{ contextUrl: string | null; documentUrl: string; document: unknown }>;
  export class CredentialIssuancePurpose {
    constructor(opts?: { controller?: unknown; date?: unknown; maxTimestampDelta?: number });
  }
  export function issue(opts: { credential: Record<string, unknown>; suite: unknown; documentLoader: Loader; purpose?: unknown; now?: string | Date }): Promise<Record<string, unknown>>;
  export function signPresentation(opts: { presentation: Record<string, unknown>; suite: unknown; documentLoader: Loader; challenge?: string; domain?: string; purpose?: unknown }): Promise<Record<string, unknown>>;
  export function createPresentation(opts: { verifiableCredential?: unknown; id?: string; holder?: string; version?: number; now?: string | Date }): Record<string, unknown>;
  export function verifyCredential(opts: Record<string, unknown>): Promise<{ verified: boolean; results?: unknown[]; error?: Error }>;
  export function verify(opts: Record<string, unknown>): Promise<{ verified: boolean; error?: Error }>;
  /** The data-model checks issue() and verifyCredential() run before any proof work; throws on the first problem. */
  export function _checkCredential(opts: { credential: Record<string, unknown>; now?: string | Date; mode?: 'issue' | 'verify'; maxClockSkew?: number }): void;
}
