import { createServer } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

/** A free TCP port on 127.0.0.1 (probe, then close). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** A wallet key: Ed25519 or P-256, with its did:jwk and DID URL. */
export interface HolderKey {
  alg: 'EdDSA' | 'ES256';
  privateKey: CryptoKey;
  publicJwk: JWK;
  did: string;
  kid: string;
}

/** Generate a holder key and its did:jwk. */
export async function holderKey(alg: 'EdDSA' | 'ES256' = 'EdDSA'): Promise<HolderKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = await exportJWK(publicKey);
  const minimal = jwk.kty === 'OKP' ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x } : { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y };
  const did = `did:jwk:${Buffer.from(JSON.stringify(minimal)).toString('base64url')}`;
  return { alg, privateKey, publicJwk: minimal as JWK, did, kid: `${did}#0` };
}

/** Sign a key proof JWT; every field can be overridden to make it wrong. */
export async function keyProof(
  key: HolderKey,
  claims: { aud: string; nonce?: string; iat?: number },
  header: Record<string, unknown> = {},
): Promise<string> {
  const h = { alg: key.alg, typ: 'openid4vci-proof+jwt', kid: key.kid, ...header } as { alg: string };
  const jwt = new SignJWT({ ...(claims.nonce !== undefined ? { nonce: claims.nonce } : {}) }).setProtectedHeader(h).setAudience(claims.aud);
  jwt.setIssuedAt(claims.iat ?? Math.floor(Date.now() / 1000));
  return jwt.sign(key.privateKey);
}

/** Compact JWT with a given header and payload and a fake or empty signature (alg none / HS256 forgeries). */
export function unsignedJwt(header: Record<string, unknown>, payload: Record<string, unknown>, signature = ''): string {
  const b = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b(header)}.${b(payload)}.${signature}`;
}

/** A small VC 2.0 credential to prepare (no id; subject gets the holder's DID). */
export function v2Credential(name = 'Ada Lovelace'): Record<string, unknown> {
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://www.w3.org/ns/credentials/examples/v2'],
    type: ['VerifiableCredential', 'ExampleAlumniCredential'],
    credentialSubject: { alumniOf: { id: 'did:example:c276e12ec21ebfeb1f712ebc6f1', name }, name },
  };
}

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** base58btc (Bitcoin alphabet) of some bytes. */
function base58btc(bytes: Uint8Array): string {
  const digits = [0];
  for (const byte of bytes) {
    let carry = byte;
    for (let i = 0; i < digits.length; i++) {
      carry += digits[i]! << 8;
      digits[i] = carry % 58;
      carry = Math.floor(carry / 58);
    }
    while (carry > 0) {
      digits.push(carry % 58);
      carry = Math.floor(carry / 58);
    }
  }
  let out = '';
  for (const byte of bytes) {
    if (byte !== 0) break;
    out += '1';
  }
  for (let i = digits.length - 1; i >= 0; i--) out += BASE58[digits[i]!];
  return out;
}

/** did:key of an Ed25519 holder key (multicodec 0xed01 + the raw public key, base58btc). */
export function didKeyOf(key: HolderKey): string {
  if (key.publicJwk.crv !== 'Ed25519') throw new Error('didKeyOf: Ed25519 keys only');
  const raw = Buffer.from(key.publicJwk.x!, 'base64url');
  return `did:key:z${base58btc(Uint8Array.from([0xed, 0x01, ...raw]))}`;
}
