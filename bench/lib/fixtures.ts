import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';

/** Where the official ELM samples live (the shared reference checkout beside the project). */
export const ANNEX_I_PATH = process.env.ANNEX_I_SAMPLE ?? fileURLToPath(new URL('../../../shared/reference/edc/elm/samples/Sample-MC-Annex1-unsigned.jsonld', import.meta.url));

/** (a) a small VC 2.0 credential, without id/issuer/validFrom (the issuer fills them). */
export function smallCredential(): Record<string, unknown> {
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://www.w3.org/ns/credentials/examples/v2'],
    type: ['VerifiableCredential', 'ExampleAlumniCredential'],
    credentialSubject: { id: 'did:example:ebfeb1f712ebc6f1c276e12ec21', alumniOf: { id: 'did:example:c276e12ec21ebfeb1f712ebc6f1', name: 'Example University' } },
  };
}

/** (b) the official Annex I micro-credential sample with its issuer re-identified as `issuerDid` and no id. */
export function annexCredential(issuerDid: string): Record<string, unknown> {
  const doc = JSON.parse(readFileSync(ANNEX_I_PATH, 'utf8')) as Record<string, unknown>;
  const { id: _id, ...rest } = doc;
  return { ...rest, issuer: { ...(doc.issuer as Record<string, unknown>), id: issuerDid } };
}

/** Size in bytes of the JSON form. */
export const jsonBytes = (v: unknown): number => Buffer.byteLength(JSON.stringify(v));
