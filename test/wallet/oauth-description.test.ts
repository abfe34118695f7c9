import { describe, expect, it } from 'vitest';
import { OAuthError, oauthDescription } from '../../src/wallet/index.js';

const OAUTH_TEXT = /^[\x20\x21\x23-\x5B\x5D-\x7E]*$/;

describe('oauthDescription: error_description text OAuth accepts', () => {
  it('maps quotes and backslashes, strips accents, drops what printable ASCII cannot hold, and caps the length', () => {
    const cases: Array<[string, string]> = [
      ['Unknown "x"', "Unknown 'x'"],
      ['a\\b', 'a/b'],
      ['Café née', 'Cafe nee'],
      ['line\none\ttab', 'line one tab'],
      ['emoji 🎓 and \u0000 nul', 'emoji and nul'],
      ['  spaced   out  ', 'spaced out'],
    ];
    for (const [input, output] of cases) expect(oauthDescription(input), input).toBe(output);
    const long = oauthDescription('x'.repeat(1000));
    expect(long.length).toBe(300);
    expect(long.endsWith('...')).toBe(true);
    for (let c = 0; c < 0x3000; c += 7) expect(oauthDescription(`a${String.fromCodePoint(c)}b`)).toMatch(OAUTH_TEXT);
  });

  it('every OAuthError carries a conforming description in its body', () => {
    const err = new OAuthError('invalid_proof', 'The "kid" ü\\ failed');
    expect(err.body()).toEqual({ error: 'invalid_proof', error_description: "The 'kid' u/ failed" });
  });
});
