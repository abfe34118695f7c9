import type { DocumentLoader } from '../jsonld/index.js';
import type { Signer } from '../keys/index.js';

/** W3C VC Data Model version of a credential, from its first @context. */
export type DataModelVersion = '1.1' | '2.0';

/** Data Integrity proof suites we issue. */
export type DataIntegritySuite = 'eddsa-rdfc-2022' | 'ecdsa-rdfc-2019' | 'Ed25519Signature2020';

/** Every securing mechanism: the three Data Integrity suites plus VC-JOSE `vc+jwt`. */
export type Mechanism = DataIntegritySuite | 'vc+jwt';

/** A JSON object credential (unsigned or signed). */
export type Credential = Record<string, unknown>;

/** Options of prepareCredential(). */
export interface PrepareOptions {
  issuerDid: string;
  now: () => Date;
  /** Fresh UUID (v4) for credentials without an id; becomes `urn:uuid:<uuid>`. */
  newId: () => string;
}

/** Options of signDataIntegrity(). */
export interface DataIntegrityOptions {
  suite: DataIntegritySuite;
  signer: Signer;
  documentLoader: DocumentLoader;
  now: () => Date;
}

/** Options of signVcJwt(). */
export interface VcJwtOptions {
  signer: Signer;
  /** JWS `kid`; defaults to signer.id (the verification method DID URL). */
  kid?: string;
  /** Clock for `iat`; when absent no `iat` claim is added. */
  now?: () => Date;
}

/** Options of issueCredential(). */
export interface IssueOptions extends PrepareOptions {
  mechanism: Mechanism;
  signers: { ed25519: Signer; p256: Signer };
  documentLoader: DocumentLoader;
  /** Key for vc+jwt: EdDSA (Ed25519, default) or ES256 (P-256). */
  jwtAlgorithm?: 'EdDSA' | 'ES256';
  /** Adds service fields (e.g. credentialStatus) to the prepared credential before it is secured. */
  enrich?: (prepared: Credential) => Promise<Credential>;
  /** Runs the securing step (after enrichment), e.g. again while the service is saturated; once by default. */
  secure?: <T>(sign: () => Promise<T>) => Promise<T>;
}

/** What issueCredential() returns. */
export interface IssueResult {
  /** The prepared, unsigned credential (id, issuer, dates filled). */
  credential: Credential;
  /** ldp_vc: the credential with `proof`; vc+jwt: the EnvelopedVerifiableCredential. */
  verifiableCredential: Credential;
  mechanism: Mechanism;
  format: 'ldp_vc' | 'vc+jwt';
  /** Compact JWS, for vc+jwt. */
  jwt?: string;
}
