declare module 'jsonld-signatures' {
  type Loader = (url: string) => Promise<{ contextUrl: string | null; documentUrl: string; document: unknown }>;
  interface PurposeResult { valid: boolean; error?: Error; controller?: Record<string, unknown> }
  class ProofPurpose {
    constructor(opts?: Record<string, unknown>);
    term: string;
    validate(proof: Record<string, unknown>, opts: Record<string, unknown>): Promise<PurposeResult>;
  }
  class ControllerProofPurpose extends ProofPurpose {}
  class AssertionProofPurpose extends ControllerProofPurpose {}
  class AuthenticationProofPurpose extends ControllerProofPurpose {
    constructor(opts?: { challenge?: string; domain?: string | string[]; controller?: unknown; date?: unknown; maxTimestampDelta?: number });
  }
  interface ProofResult { proof: Record<string, unknown>; verified: boolean; error?: Error; verificationMethod?: Record<string, unknown>; purposeResult?: PurposeResult }
  interface VerifyResult { verified: boolean; results?: ProofResult[]; error?: Error & { errors?: Error[] } }
  const jsigs: {
    verify(document: Record<string, unknown>, opts: { suite: unknown; purpose: ProofPurpose; documentLoader: Loader }): Promise<VerifyResult>;
    sign(document: Record<string, unknown>, opts: { suite: unknown; purpose: ProofPurpose; documentLoader: Loader }): Promise<Record<string, unknown>>;
    purposes: {
      ProofPurpose: typeof ProofPurpose;
      ControllerProofPurpose: typeof ControllerProofPurpose;
      AssertionProofPurpose: typeof AssertionProofPurpose;
      AuthenticationProofPurpose: typeof AuthenticationProofPurpose;
    };
  };
  export default jsigs;
}
