import { describe, expect, it } from 'vitest';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';
import { createResolver, multikeyToJwk, DidError } from '../../src/did/index.js';

const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('did:key', () => {
  const resolver = createResolver({ fetch: () => Promise.reject(new Error('no network in tests')) });

  it('resolves Ed25519 and P-256 keys to a Multikey document', async () => {
    const ed = await Ed25519Multikey.generate();
    const p256 = await EcdsaMultikey.generate({ curve: 'P-256' });
    for (const mb of [ed.publicKeyMultibase!, p256.publicKeyMultibase!]) {
      const did = `did:key:${mb}`;
      const doc = await resolver.resolveDocument(did);
      expect(doc.id).toBe(did);
      expect(doc['@context']).toEqual(['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1']);
      expect(doc.verificationMethod?.[0]).toEqual({ id: `${did}#${mb}`, type: 'Multikey', controller: did, publicKeyMultibase: mb });
      expect(doc.assertionMethod).toEqual([`${did}#${mb}`]);
      const vm = await resolver.getVerificationMethod(`${did}#${mb}`, 'assertionMethod');
      expect(vm['@context']).toEqual(doc['@context']);
    }
    expect((await multikeyToJwk(p256.publicKeyMultibase!)).crv).toBe('P-256');
    expect((await multikeyToJwk(ed.publicKeyMultibase!)).kty).toBe('OKP');
  });

  it.each([
    ['did:key:zNotAKey', 'invalidDid'],
    ['did:key:z6MkTooShort', 'invalidDid'],
    ['did:key:', 'invalidDid'],
    ['did:example:123', 'methodNotSupported'],
    ['not-a-did', 'invalidDid'],
  ])('refuses %s with %s', async (did, error) => {
    const r = await resolver.resolve(did);
    expect(r.didDocument).toBeNull();
    expect(r.didResolutionMetadata.error).toBe(error);
  });

  it('throws DidError with a stable code from resolveDocument', async () => {
    await expect(resolver.resolveDocument('did:example:1')).rejects.toMatchObject({ code: 'DID_METHOD_NOT_SUPPORTED' });
    await expect(resolver.dereference('did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK#other')).rejects.toBeInstanceOf(DidError);
  });
});

describe('did:jwk', () => {
  const resolver = createResolver();

  it('resolves a public P-256 JWK per the did:jwk spec', async () => {
    const kp = await EcdsaMultikey.generate({ curve: 'P-256' });
    const { kty, crv, x, y } = await EcdsaMultikey.toJwk({ keyPair: kp });
    const did = `did:jwk:${b64({ kty, crv, x, y })}`;
    const doc = await resolver.resolveDocument(did);
    expect(doc.verificationMethod?.[0]).toMatchObject({ id: `${did}#0`, type: 'JsonWebKey2020', controller: did, publicKeyJwk: { kty, crv, x, y } });
    expect(doc.assertionMethod).toEqual([`${did}#0`]);
    expect(doc.keyAgreement).toEqual([`${did}#0`]);
    const vm = await resolver.dereference(`${did}#0`);
    expect(vm).toMatchObject({ id: `${did}#0` });
  });

  it('leaves out keyAgreement for use=sig and signing relationships for use=enc', async () => {
    const kp = await EcdsaMultikey.generate({ curve: 'P-256' });
    const { kty, crv, x, y } = await EcdsaMultikey.toJwk({ keyPair: kp });
    const sig = await resolver.resolveDocument(`did:jwk:${b64({ kty, crv, x, y, use: 'sig' })}`);
    expect(sig.keyAgreement).toBeUndefined();
    const enc = await resolver.resolveDocument(`did:jwk:${b64({ kty, crv, x, y, use: 'enc' })}`);
    expect(enc.assertionMethod).toBeUndefined();
  });

  it('resolves the spec\'s X25519 key-agreement example to a keyAgreement-only document', async () => {
    const did = 'did:jwk:eyJrdHkiOiJPS1AiLCJjcnYiOiJYMjU1MTkiLCJ1c2UiOiJlbmMiLCJ4IjoiM3A3YmZYdDl3YlRUVzJIQzdPUTFOei1EUThoYmVHZE5yZngtRkctSUswOCJ9';
    const doc = await resolver.resolveDocument(did);
    expect(doc.verificationMethod?.[0]).toMatchObject({ id: `${did}#0`, type: 'JsonWebKey2020', publicKeyJwk: { kty: 'OKP', crv: 'X25519', use: 'enc' } });
    expect(doc.keyAgreement).toEqual([`${did}#0`]);
    expect(doc.assertionMethod).toBeUndefined();
    expect(doc.authentication).toBeUndefined();
    // Without "use" it still cannot sign.
    const bare = await resolver.resolveDocument(`did:jwk:${b64({ kty: 'OKP', crv: 'X25519', x: Buffer.alloc(32, 7).toString('base64url') })}`);
    expect(bare.assertionMethod).toBeUndefined();
    expect(bare.keyAgreement).toHaveLength(1);
  });

  it.each([
    ['private X25519 key (d)', { kty: 'OKP', crv: 'X25519', x: Buffer.alloc(32, 1).toString('base64url'), d: 'BBBB' }],
    ['short X25519 x', { kty: 'OKP', crv: 'X25519', x: 'AAAA' }],
    ['X25519 with kty EC', { kty: 'EC', crv: 'X25519', x: Buffer.alloc(32, 1).toString('base64url') }],
    ['private key (d)', { kty: 'OKP', crv: 'Ed25519', x: Buffer.alloc(32, 1).toString('base64url'), d: 'BBBB' }],
    ['short Ed25519 x', { kty: 'OKP', crv: 'Ed25519', x: 'AAAA' }],
    ['symmetric key', { kty: 'oct', k: 'AAAA' }],
    ['RSA key', { kty: 'RSA', n: 'AAAA', e: 'AQAB' }],
    ['EC without y', { kty: 'EC', crv: 'P-256', x: 'AAAA' }],
    ['not an object', [1, 2]],
  ])('refuses a %s', async (_name, jwk) => {
    const r = await resolver.resolve(`did:jwk:${b64(jwk)}`);
    expect(r.didResolutionMetadata.error).toBe('invalidDid');
    await expect(resolver.resolveDocument(`did:jwk:${b64(jwk)}`)).rejects.toMatchObject({ code: 'DID_INVALID' });
  });

  it('refuses non-base64url payloads', async () => {
    expect((await resolver.resolve('did:jwk:not.json')).didResolutionMetadata.error).toBe('invalidDid');
  });
});
