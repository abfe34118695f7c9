import type { Mechanism } from '../issuing/index.js';

const VC_V1 = 'https://www.w3.org/2018/credentials/v1';
const VC_V2 = 'https://www.w3.org/ns/credentials/v2';
const EDC_AP = 'http://data.europa.eu/snb/model/context/edc-ap';

/**
 * Credential format identifiers this issuer uses. `ldp_vc` is the OID4VCI 1.0 Data Integrity
 * profile. OID4VCI 1.0 binds `jwt_vc_json` to the VC Data Model 1.1 JWT encoding (the credential
 * inside a `vc` claim); it has no identifier for VC 2.0 secured with VC-JOSE-COSE, so those are
 * advertised under that securing's media type, `vc+jwt`, as the spec recommends for new profiles.
 */
export type CredentialFormat = 'ldp_vc' | 'vc+jwt';

/** VC Data Model version, told by the base context a credential starts with. */
export type DataModel = '1.1' | '2.0';

/** One credential configuration this issuer offers (OID4VCI 1.0 §12.2.4), plus how we sign it. */
export interface CredentialConfiguration {
  /** Stable id: offers and institutions' offer requests name configurations by it. */
  id: string;
  format: CredentialFormat;
  /** The credential_definition wallets see; its @context starts with the delivered data model's base context. */
  context?: string[];
  types: string[];
  /** What the configuration needs from a credential to be offered for it. */
  requiresType?: string;
  /** The data model the delivered credential has (so the advertised @context never contradicts it). */
  dataModel: DataModel;
  /** Binding methods advertised (the credential endpoint accepts kid or jwk either way). */
  bindingMethods: string[];
  /** Display name used in wallet UIs. */
  name: string;
}

/**
 * The credential configurations every institution advertises, most specific first. The ids of
 * the `vc+jwt` configurations keep their earlier `_jwt_vc_json` suffix: offers already handed
 * out and institutions' offer requests name them, and a configuration id is opaque to wallets.
 */
export const CONFIGURATIONS: readonly CredentialConfiguration[] = [
  {
    id: 'EuropeanDigitalCredential_ldp_vc',
    format: 'ldp_vc',
    context: [VC_V1, EDC_AP],
    types: ['VerifiableCredential', 'EuropeanDigitalCredential'],
    requiresType: 'EuropeanDigitalCredential',
    dataModel: '1.1',
    bindingMethods: ['did:key', 'did:jwk'],
    name: 'European Digital Credential (micro-credential)',
  },
  {
    id: 'EuropeanDigitalCredential_jwt_vc_json',
    format: 'vc+jwt',
    types: ['VerifiableCredential', 'EuropeanDigitalCredential'],
    requiresType: 'EuropeanDigitalCredential',
    dataModel: '2.0',
    bindingMethods: ['did:key', 'did:jwk', 'jwk'],
    name: 'European Digital Credential (micro-credential)',
  },
  {
    id: 'VerifiableCredential_ldp_vc',
    format: 'ldp_vc',
    context: [VC_V2],
    types: ['VerifiableCredential'],
    dataModel: '2.0',
    bindingMethods: ['did:key', 'did:jwk'],
    name: 'Verifiable Credential',
  },
  {
    // VC 1.1 credentials that are not EDC: a wallet reads @context to decide whether it can hold one.
    id: 'VerifiableCredential_ldp_vc_v1',
    format: 'ldp_vc',
    context: [VC_V1],
    types: ['VerifiableCredential'],
    dataModel: '1.1',
    bindingMethods: ['did:key', 'did:jwk'],
    name: 'Verifiable Credential',
  },
  {
    id: 'VerifiableCredential_jwt_vc_json',
    format: 'vc+jwt',
    types: ['VerifiableCredential'],
    dataModel: '2.0',
    bindingMethods: ['did:key', 'did:jwk', 'jwk'],
    name: 'Verifiable Credential',
  },
];

/** Key proof algorithms accepted (asymmetric only; never none or HS*). */
export const PROOF_ALGS = ['EdDSA', 'ES256', 'ES384'] as const;

/** Find a configuration by id. */
export function configurationById(id: string): CredentialConfiguration | undefined {
  return CONFIGURATIONS.find((c) => c.id === id);
}

function typesOf(credential: Record<string, unknown>): string[] {
  const t = credential.type;
  return (Array.isArray(t) ? t : [t]).filter((x): x is string => typeof x === 'string');
}

function dataModelOf(credential: Record<string, unknown>): DataModel | undefined {
  const ctx = credential['@context'];
  const base = Array.isArray(ctx) ? ctx[0] : ctx;
  return base === VC_V2 ? '2.0' : base === VC_V1 ? '1.1' : undefined;
}

/**
 * The configurations a credential can be delivered as: per format the most specific match
 * of its data model (an EDC credential is offered as EuropeanDigitalCredential, not also as the
 * generic one).
 */
export function configurationsFor(credential: Record<string, unknown>): CredentialConfiguration[] {
  const types = typesOf(credential);
  const model = dataModelOf(credential);
  const out: CredentialConfiguration[] = [];
  for (const c of CONFIGURATIONS) {
    if (c.requiresType && !types.includes(c.requiresType)) continue;
    if (c.dataModel !== model) continue;
    if (out.some((o) => o.format === c.format)) continue;
    out.push(c);
  }
  return out;
}

/** The securing mechanism for a delivery: JOSE for vc+jwt, else the prepared Data Integrity suite. */
export function mechanismFor(config: CredentialConfiguration, prepared: Mechanism | undefined): Mechanism {
  if (config.format === 'vc+jwt') return 'vc+jwt';
  return prepared && prepared !== 'vc+jwt' ? prepared : 'eddsa-rdfc-2022';
}
