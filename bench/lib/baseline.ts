import * as vc from '@digitalbazaar/vc';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as jose from 'jose';
import { createDocumentLoader } from '../../src/jsonld/index.js';
import { annexCredential, smallCredential } from './fixtures.js';
import { loop, type Row } from './stats.js';

const CONTROLLER = 'did:example:bench-issuer';

/**
 * The stock library, in one process on one core: @digitalbazaar/vc issue()/verifyCredential()
 * with eddsa-rdfc-2022 and a static loader (bundled contexts + the key's controller document),
 * and raw jose sign/verify of the same payload.
 */
export async function runBaselines(opts: { durationMs: number; warmup: number }): Promise<Row[]> {
  const key = await Ed25519Multikey.generate({ controller: CONTROLLER, id: `${CONTROLLER}#key-1` });
  const publicKey = await key.export({ publicKey: true, includeContext: true });
  const controllerDoc = {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
    id: CONTROLLER,
    verificationMethod: [publicKey],
    assertionMethod: [publicKey.id],
  };
  const documentLoader = createDocumentLoader({
    resolveDid: async (url) => (url.includes('#') ? publicKey : controllerDoc),
  });
  const rows: Row[] = [];
  const creds: Array<[string, Record<string, unknown>]> = [
    ['small', { ...smallCredential(), issuer: CONTROLLER, id: 'urn:uuid:0b1f6d4e-3c59-4a57-8a4c-3e7c2a1d9f01', validFrom: '2025-01-01T00:00:00Z' }],
    ['annex-i', { ...annexCredential(CONTROLLER), id: 'urn:uuid:0b1f6d4e-3c59-4a57-8a4c-3e7c2a1d9f02' }],
  ];
  for (const [label, credential] of creds) {
    const sign = () => vc.issue({
      credential: structuredClone(credential),
      suite: new DataIntegrityProof({ signer: key.signer(), cryptosuite: eddsaRdfc2022 }),
      documentLoader,
    });
    rows.push(await loop(`baseline DI issue ${label}`, sign, opts));
    const signed = await sign();
    const verify = async () => {
      const r = await vc.verifyCredential({
        credential: signed,
        suite: new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 }),
        documentLoader,
        checkStatus: async () => ({ verified: true }),
      });
      if (!r.verified) throw new Error(`baseline verify failed: ${String(r.error)}`);
    };
    rows.push(await loop(`baseline DI verify ${label}`, verify, opts));
  }
  // JOSE: raw EdDSA compact JWS of the annex payload (what vc+jwt costs without any service).
  const { publicKey: pub, privateKey: priv } = await jose.generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const payload = { ...creds[1]![1], iss: CONTROLLER };
  const encoder = new TextEncoder();
  const signJwt = () => new jose.CompactSign(encoder.encode(JSON.stringify(payload))).setProtectedHeader({ alg: 'EdDSA', typ: 'vc+jwt', cty: 'vc' }).sign(priv);
  rows.push(await loop('baseline jose sign annex-i', signJwt, opts));
  const jwt = await signJwt();
  rows.push(await loop('baseline jose verify annex-i', async () => JSON.parse(new TextDecoder().decode((await jose.compactVerify(jwt, pub)).payload)), opts));
  const smallPayload = { ...creds[0]![1], iss: CONTROLLER };
  const signSmall = () => new jose.CompactSign(encoder.encode(JSON.stringify(smallPayload))).setProtectedHeader({ alg: 'EdDSA', typ: 'vc+jwt', cty: 'vc' }).sign(priv);
  rows.push(await loop('baseline jose sign small', signSmall, opts));
  const jwtSmall = await signSmall();
  rows.push(await loop('baseline jose verify small', async () => JSON.parse(new TextDecoder().decode((await jose.compactVerify(jwtSmall, pub)).payload)), opts));
  return rows;
}
