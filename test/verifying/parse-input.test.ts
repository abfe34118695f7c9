import { describe, expect, it } from 'vitest';
import { parseInput, ParsingError } from '../../src/verifying/index.js';
import { DEFAULT_LIMITS } from '../../src/verifying/limits.js';
import { AppError } from '../../src/errors.js';

const vc = () => ({ '@context': ['https://www.w3.org/ns/credentials/v2'], type: ['VerifiableCredential'], issuer: 'did:example:i', credentialSubject: { id: 'did:example:s' } });
const codeOf = (fn: () => unknown): string => {
  try {
    fn();
    return 'NO_ERROR';
  } catch (e) {
    return (e as AppError).code;
  }
};

describe('parseInput', () => {
  it('copies the input unless the caller hands it over', () => {
    const input = vc();
    expect(parseInput(input, DEFAULT_LIMITS).document).not.toBe(input);
    expect(parseInput(input, DEFAULT_LIMITS).document).toEqual(input);
    expect(parseInput(input, DEFAULT_LIMITS, { owned: true }).document).toBe(input);
  });

  it('trusts a measured source only within the limits: larger or deeper sources are measured again', () => {
    const big = { ...vc(), credentialSubject: { id: 'did:example:s', blob: 'x'.repeat(2048) } };
    const limits = { ...DEFAULT_LIMITS, maxBytes: 1024 };
    expect(codeOf(() => parseInput(big, limits))).toBe('RESOURCE_LIMIT_EXCEEDED');
    // A source said to be larger than the limit (or deeper than allowed) is checked, not trusted.
    expect(codeOf(() => parseInput(big, limits, { bounds: { bytes: 4096, maxDepth: 64 } }))).toBe('RESOURCE_LIMIT_EXCEEDED');
    let deep: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < 20; i++) deep = { n: deep };
    const shallowLimits = { ...DEFAULT_LIMITS, maxDepth: 8 };
    expect(codeOf(() => parseInput({ ...vc(), credentialSubject: deep }, shallowLimits, { bounds: { bytes: 500, maxDepth: 64 } }))).toBe('RESOURCE_LIMIT_EXCEEDED');
    // Within both limits the measured size stands.
    expect(codeOf(() => parseInput(vc(), DEFAULT_LIMITS, { bounds: { bytes: 300, maxDepth: 64 }, owned: true }))).toBe('NO_ERROR');
    expect(() => parseInput(42, DEFAULT_LIMITS)).toThrow(ParsingError);
  });

  it('refuses an object nested far deeper than the stack allows as too deep, not with a stack overflow', () => {
    let deep: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < 100_000; i++) deep = { n: deep };
    expect(codeOf(() => parseInput({ ...vc(), credentialSubject: deep }, DEFAULT_LIMITS))).toBe('RESOURCE_LIMIT_EXCEEDED');
    const text = `{"credentialSubject":${'{"n":'.repeat(100_000)}1${'}'.repeat(100_000)}}`;
    expect(codeOf(() => parseInput(text, DEFAULT_LIMITS))).toBe('RESOURCE_LIMIT_EXCEEDED');
  });

  it('refuses __proto__ and constructor.prototype keys in JSON text, as the HTTP body parser does', () => {
    const doc = JSON.stringify(vc()).slice(0, -1);
    expect(codeOf(() => parseInput(`${doc}, "__proto__": {"@context": "https://www.w3.org/ns/credentials/v2"}}`, DEFAULT_LIMITS))).toBe('PARSING_ERROR');
    expect(() => parseInput(`${doc}, "credentialSubject": {"id": "did:example:s", "__proto__": "x"}}`, DEFAULT_LIMITS)).toThrow(/__proto__/);
    expect(() => parseInput(`${doc}, "constructor": {"prototype": {}}}`, DEFAULT_LIMITS)).toThrow(/constructor\.prototype/);
    const header = Buffer.from('{"alg":"EdDSA","typ":"vc+jwt"}').toString('base64url');
    const payload = Buffer.from(`${doc}, "__proto__": {}}`).toString('base64url');
    expect(() => parseInput(`${header}.${payload}.c2ln`, DEFAULT_LIMITS)).toThrow(/JWS payload contains a "__proto__"/);
    // Not JSON at all is still just that.
    expect(() => parseInput('{"a":', DEFAULT_LIMITS)).toThrow(/not valid JSON/);
  });
});

