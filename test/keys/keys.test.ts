import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import { compactVerify, importJWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import { decryptSecret, encryptSecret, generateKeyRecord, keyRecordFromSecret, loadSigner, parseKek, publicJwkFromMultibase, type KeyAlgorithm, type KeyRecord } from '../../src/keys/index.js';
import { vectors } from '../issuing/fixtures.js';

const KEK = Buffer.alloc(32, 7);
const OTHER_KEK = Buffer.alloc(32, 8);
const now = () => new Date('2025-02-01T10:00:00Z');
const CONTROLLER = 'did:web:issuer.example:issuers:acme';

function expectCode(fn: () => unknown, code: string): AppError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe(code);
    return err as AppError;
  }
  throw new Error(`expected ${code}`);
}

async function expectRejectCode(p: Promise<unknown>, code: string): Promise<AppError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe(code);
  return err as AppError;
}

describe('parseKek', () => {
  const bytes = Buffer.from(Array.from({ length: 32 }, (_, i) => i * 7 + 3));
  it('accepts 32 bytes as hex, base64 and base64url', () => {
    for (const s of [bytes.toString('hex'), bytes.toString('hex').toUpperCase(), bytes.toString('base64'), bytes.toString('base64url'), ` ${bytes.toString('base64')}\n`]) {
      expect(parseKek(s).equals(bytes)).toBe(true);
    }
  });
  it('refuses other lengths and alphabets without echoing the value', () => {
    for (const s of ['', 'abc', Buffer.alloc(31).toString('hex'), Buffer.alloc(33).toString('base64'), 'z'.repeat(64), Buffer.alloc(16).toString('hex')]) {
      const e = expectCode(() => parseKek(s), 'KEK_INVALID');
      if (s.length > 3) expect(e.message).not.toContain(s.trim());
    }
  });
});

describe('AES-256-GCM private key envelope', () => {
  const secret = Buffer.from('zrv3-secret-material');
  const enc = encryptSecret(secret, KEK, 'did:x#k1');

  it('round-trips and uses a fresh nonce each time', () => {
    expect(decryptSecret(enc, KEK, 'did:x#k1').equals(secret)).toBe(true);
    expect(encryptSecret(secret, KEK, 'did:x#k1').iv).not.toBe(enc.iv);
    expect(enc.alg).toBe('A256GCM');
    expect(Buffer.from(enc.iv, 'base64url')).toHaveLength(12);
    expect(Buffer.from(enc.tag, 'base64url')).toHaveLength(16);
  });

  it('fails with KEY_DECRYPTION_FAILED on wrong KEK, other AAD, or any tampered field', () => {
    const flip = (b64: string) => { const b = Buffer.from(b64, 'base64url'); b[0] = (b[0] ?? 0) ^ 1; return b.toString('base64url'); };
    const cases = [
      () => decryptSecret(enc, OTHER_KEK, 'did:x#k1'),
      () => decryptSecret(enc, KEK, 'did:x#k2'),
      () => decryptSecret({ ...enc, ct: flip(enc.ct) }, KEK, 'did:x#k1'),
      () => decryptSecret({ ...enc, tag: flip(enc.tag) }, KEK, 'did:x#k1'),
      () => decryptSecret({ ...enc, iv: flip(enc.iv) }, KEK, 'did:x#k1'),
      () => decryptSecret({ ...enc, tag: enc.tag.slice(0, 10) }, KEK, 'did:x#k1'),
    ];
    for (const c of cases) {
      const e = expectCode(c, 'KEY_DECRYPTION_FAILED');
      expect(e.status).toBe(500);
      expect(e.message).not.toMatch(/tag|auth|zrv3/i);
    }
  });
});

describe.each<KeyAlgorithm>(['Ed25519', 'P-256'])('%s institution keys', (algorithm) => {
  it('generates a storable record whose signer makes verifiable raw signatures and JWS', async () => {
    const record = await generateKeyRecord({ algorithm, controller: CONTROLLER, kek: KEK, now });
    expect(record.id).toMatch(new RegExp(`^${CONTROLLER}#key-${algorithm === 'Ed25519' ? 'ed25519' : 'p256'}-[0-9a-f]{8}$`));
    expect(record).toMatchObject({ algorithm, controller: CONTROLLER, createdAt: '2025-02-01T10:00:00.000Z' });
    expect(record.publicJwk).not.toHaveProperty('d');
    const json = JSON.stringify(record);
    expect(JSON.parse(json)).toEqual(record);

    const signer = await loadSigner(record, KEK);
    expect(signer.id).toBe(record.id);
    expect(signer.algorithm).toBe(algorithm);
    expect(signer.multikey).toEqual({ id: record.id, type: 'Multikey', controller: CONTROLLER, publicKeyMultibase: record.publicKeyMultibase });
    // Nothing enumerable or serialisable carries secret material.
    expect(JSON.stringify(signer)).not.toMatch(/secret|"d"/);
    expect(Object.isFrozen(signer)).toBe(true);

    const data = new TextEncoder().encode('hello microcred');
    const sig = await signer.sign({ data });
    expect(sig).toHaveLength(64);
    if (algorithm === 'Ed25519') {
      // Same bytes as the library's own signer (Ed25519 is deterministic).
      const secretKeyMultibase = decryptSecret(record.encryptedPrivateKey, KEK, record.id).toString('utf8');
      const lib = await Ed25519Multikey.from({ id: record.id, controller: record.controller, publicKeyMultibase: record.publicKeyMultibase, secretKeyMultibase });
      expect(Buffer.from(sig)).toEqual(Buffer.from(await lib.signer().sign({ data })));
    }
    const pub = createPublicKey({ key: record.publicJwk as never, format: 'jwk' });
    const ok = algorithm === 'Ed25519'
      ? nodeVerify(null, data, pub, sig)
      : nodeVerify('sha256', data, { key: pub, dsaEncoding: 'ieee-p1363' }, sig);
    expect(ok).toBe(true);
    const tampered = Buffer.from(data); tampered[0] = (tampered[0] ?? 0) ^ 1;
    expect(algorithm === 'Ed25519' ? nodeVerify(null, tampered, pub, sig) : nodeVerify('sha256', tampered, { key: pub, dsaEncoding: 'ieee-p1363' }, sig)).toBe(false);

    const alg = algorithm === 'Ed25519' ? 'EdDSA' : 'ES256';
    const jws = await signer.signJws({ alg, kid: signer.id }, data);
    const { payload, protectedHeader } = await compactVerify(jws, await importJWK(await publicJwkFromMultibase(algorithm, record.publicKeyMultibase), alg));
    expect(new TextDecoder().decode(payload)).toBe('hello microcred');
    expect(protectedHeader).toEqual({ alg, kid: signer.id });
    await expectRejectCode(signer.signJws({ alg: alg === 'EdDSA' ? 'ES256' : 'EdDSA' }, data), 'KEY_ALGORITHM_MISMATCH');
  });

  it('refuses to load under a wrong KEK or when the record was moved to another key id', async () => {
    const record = await generateKeyRecord({ algorithm, controller: CONTROLLER, fragment: 'k1', kek: KEK, now });
    await expectRejectCode(loadSigner(record, OTHER_KEK), 'KEY_DECRYPTION_FAILED');
    const moved: KeyRecord = { ...record, id: `${CONTROLLER}#k2` };
    await expectRejectCode(loadSigner(moved, KEK), 'KEY_DECRYPTION_FAILED');
  });
});

describe('keyRecordFromSecret', () => {
  it('rebuilds the fixed test-vector keys, and refuses a secret of another key', async () => {
    const rec = await keyRecordFromSecret({ algorithm: 'Ed25519', controller: CONTROLLER, fragment: 'k', kek: KEK, now, publicKeyMultibase: vectors.ed25519.publicKeyMultibase, secretKeyMultibase: vectors.ed25519.secretKeyMultibase });
    expect(rec.publicJwk).toEqual(await publicJwkFromMultibase('Ed25519', vectors.ed25519.publicKeyMultibase));
    const other = await generateKeyRecord({ algorithm: 'P-256', controller: CONTROLLER, kek: KEK, now });
    await expectRejectCode(keyRecordFromSecret({ algorithm: 'P-256', controller: CONTROLLER, fragment: 'k', kek: KEK, now, publicKeyMultibase: other.publicKeyMultibase, secretKeyMultibase: vectors.p256.secretKeyMultibase }), 'KEY_PAIR_MISMATCH');
    await expectRejectCode(keyRecordFromSecret({ algorithm: 'Ed25519', controller: CONTROLLER, fragment: 'bad/frag', kek: KEK, now, publicKeyMultibase: vectors.ed25519.publicKeyMultibase, secretKeyMultibase: vectors.ed25519.secretKeyMultibase }), 'KEY_FRAGMENT_INVALID');
  });
});

describe('keyRecordFromSecret with a foreign Ed25519 secret', () => {
  it('detects the mismatch by a sign/verify probe', async () => {
    const other = await generateKeyRecord({ algorithm: 'Ed25519', controller: CONTROLLER, kek: KEK, now });
    await expectRejectCode(keyRecordFromSecret({ algorithm: 'Ed25519', controller: CONTROLLER, fragment: 'k', kek: KEK, now, publicKeyMultibase: other.publicKeyMultibase, secretKeyMultibase: vectors.ed25519.secretKeyMultibase }), 'KEY_PAIR_MISMATCH');
  });
});
