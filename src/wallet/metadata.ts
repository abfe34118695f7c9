import type { InstitutionRecord } from '../institutions/index.js';
import { CONFIGURATIONS, PROOF_ALGS, type CredentialConfiguration } from './configurations.js';

/** The OID4VCI grant type this service supports. */
export const PRE_AUTHORIZED_GRANT = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';

const LDP_SUITES = ['eddsa-rdfc-2022', 'ecdsa-rdfc-2019', 'Ed25519Signature2020'];
const JOSE_ALGS = ['EdDSA', 'ES256'];

/** Credential issuer identifier of an institution: `<PUBLIC_URL>/issuers/<slug>`. */
export function credentialIssuerId(publicUrl: string, slug: string): string {
  return `${publicUrl}/issuers/${slug}`;
}

function displayOf(inst: InstitutionRecord, name?: string): Record<string, unknown> {
  const logo = inst.settings.logoUrl ? { logo: { uri: inst.settings.logoUrl, alt_text: `${inst.settings.displayName ?? inst.legalName} logo` } } : {};
  return { name: name ?? inst.settings.displayName ?? inst.legalName, locale: inst.defaultLanguage, ...logo };
}

function configurationEntry(c: CredentialConfiguration, inst: InstitutionRecord): Record<string, unknown> {
  return {
    format: c.format,
    scope: c.id,
    cryptographic_binding_methods_supported: c.bindingMethods,
    credential_signing_alg_values_supported: c.format === 'ldp_vc' ? LDP_SUITES : JOSE_ALGS,
    proof_types_supported: { jwt: { proof_signing_alg_values_supported: [...PROOF_ALGS] } },
    credential_definition: { ...(c.context ? { '@context': c.context } : {}), type: c.types },
    // OID4VCI 1.0 final moved display (and claims) under credential_metadata.
    credential_metadata: { display: [{ ...displayOf(inst, c.name), description: `Issued by ${inst.legalName}` }] },
  };
}

/** Credential Issuer Metadata (OID4VCI 1.0 §12.2) of one institution. */
export function credentialIssuerMetadata(publicUrl: string, inst: InstitutionRecord): Record<string, unknown> {
  const iss = credentialIssuerId(publicUrl, inst.slug);
  return {
    credential_issuer: iss,
    credential_endpoint: `${iss}/credential`,
    nonce_endpoint: `${iss}/nonce`,
    // Not a 1.0 member; draft-11/13 wallets look for the token endpoint here.
    token_endpoint: `${iss}/token`,
    display: [displayOf(inst)],
    credential_configurations_supported: Object.fromEntries(CONFIGURATIONS.map((c) => [c.id, configurationEntry(c, inst)])),
  };
}

/** OAuth 2.0 Authorization Server Metadata (RFC 8414): the credential issuer is its own AS. */
export function authorizationServerMetadata(publicUrl: string, inst: InstitutionRecord): Record<string, unknown> {
  const iss = credentialIssuerId(publicUrl, inst.slug);
  return {
    issuer: iss,
    token_endpoint: `${iss}/token`,
    token_endpoint_auth_methods_supported: ['none'],
    grant_types_supported: [PRE_AUTHORIZED_GRANT],
    // No authorization endpoint: only the pre-authorized code flow is offered.
    response_types_supported: [],
    'pre-authorized_grant_anonymous_access_supported': true,
  };
}
