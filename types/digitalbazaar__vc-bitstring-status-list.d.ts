declare module '@digitalbazaar/vc-bitstring-status-list' {
  /** A bitstring status list (left-to-right bit order, GZIP + base64url, multibase "u"). */
  export class BitstringStatusList {
    constructor(options?: { length?: number; buffer?: Uint8Array });
    readonly length: number;
    setStatus(index: number, status: boolean): void;
    getStatus(index: number): boolean;
    encode(): Promise<string>;
    static decode(options: { encodedList: string }): Promise<BitstringStatusList>;
  }
  export const VC_BSL_VC_V1_CONTEXT: string[];
  export const VC_BSL_VC_V2_CONTEXT: string[];
  export function createList(options: { length: number }): Promise<BitstringStatusList>;
  export function decodeList(options: { encodedList: string }): Promise<BitstringStatusList>;
  export function createCredential(options: { id: string; list: BitstringStatusList; statusPurpose: string; context?: string[] }): Promise<Record<string, unknown>>;
  export function checkStatus(options: {
    credential: Record<string, unknown>;
    documentLoader: (url: string) => Promise<unknown>;
    suite: unknown;
    verifyBitstringStatusListCredential?: boolean;
    verifyMatchingIssuers?: boolean;
  }): Promise<{ verified: boolean; status?: boolean; error?: Error }>;
}
