import type { Mechanism } from '../issuing/index.js';

const VC_V1 = 'https://www.w3.org/2018/credentials/v1';
const VC_V2 = 'https://www.w3.org/ns/credentials/v2';
const EDC_AP = 'http://data.europa.eu/snb/model/context/edc-ap';

/** One credential configuration this issuer offers (OID4VCI 1.0 §12.2.4), plus how we sign it. */
export interface CredentialConfiguration {
  id: string;
  format: 'ldp_vc' | 'jwt_vc_json';
  /** The credential_definition wallets see. */
  context?: string[];
  types: string[];
  /** What the configuration needs from a credential to be offered for it. */
  requiresType?: string;
  requiresVc2?: boolean;
  /** Binding methods advertised (the credential endpoint accepts kid or jwk either way). */
  bindingMethods: string[];
  /** Display name used in wallet UIs. */
  name: string;
}

/** The credential configurations every institution advertises, most specific first. */
export const CONFIGURATIONS: readonly CredentialConfiguration[] = [
  {
    id: 'EuropeanDigitalCredential_ldp_vc',
    format: 'ldp_vc',
    context: [VC_V1, EDC_AP],
    types: ['VerifiableCredential', 'EuropeanDigitalCredential'],
    requiresType: 'EuropeanDigitalCredential',
    bindingMethods: ['did:key', 'did:jwk'],
    name: 'European Digital Credential (micro-credential)',
  },
  {
    id: 'EuropeanDigitalCredential_jwt_vc_json',
    format: 'jwt_vc_json',
    types: ['VerifiableCredential', 'EuropeanDigitalCredential'],
    requiresType: 'EuropeanDigitalCredential',
    requiresVc2: true,
    bindingMethods: ['did:key', 'did:jwk', 'jwk'],
    name: 'European Digital Credential (micro-credential)',
  },
  {
    id: 'VerifiableCredential_ldp_vc',
    format: 'ldp_vc',
    context: [VC_V2],
    types: ['VerifiableCredential'],
    bindingMethods: ['did:key', 'did:jwk'],
    name: 'Verifiable Credential',
  },
  {
    id: 'VerifiableCredential_jwt_vc_json',
    format: 'jwt_vc_json',
    types: ['VerifiableCredential'],
    requiresVc2: true,
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

function isVc2(credential: Record<string, unknown>): boolean {
  const ctx = credential['@context'];
  return (Array.isArray(ctx) ? ctx[0] : ctx) === VC_V2;
}

/**
 * The configurations a credential can be delivered as: per format the most specific match
 * (an EDC credential is offered as EuropeanDigitalCredential, not also as the generic one).
 */
export function configurationsFor(credential: Record<string, unknown>): CredentialConfiguration[] {
  const types = typesOf(credential);
  const v2 = isVc2(credential);
  const out: CredentialConfiguration[] = [];
  for (const c of CONFIGURATIONS) {
    if (c.requiresType && !types.includes(c.requiresType)) continue;
    if (c.requiresVc2 && !v2) continue;
    if (out.some((o) => o.format === c.format)) continue;
    out.push(c);
  }
  return out;
}

/** The securing mechanism for a delivery: JOSE for jwt_vc_json, else the prepared Data Integrity suite. */
export function mechanismFor(config: CredentialConfiguration, prepared: Mechanism | undefined): Mechanism {
  if (config.format === 'jwt_vc_json') return 'vc+jwt';
  return prepared && prepared !== 'vc+jwt' ? prepared : 'eddsa-rdfc-2022';
}
