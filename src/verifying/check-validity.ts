import { failed, passed, type Check } from './check.js';

/** `validity`: validFrom/validUntil (VC 2.0), issuanceDate/expirationDate (VC 1.1) and JWT nbf/exp against now ± skew. */
export const validityCheck: Check = {
  name: 'validity',
  appliesTo: ['credential'],
  requires: ['format'],
  async run({ subject, options }) {
    const doc = subject.document;
    const now = options.now().getTime();
    const skew = options.clockSkewSeconds * 1000;
    const starts: Array<[string, number]> = [];
    const ends: Array<[string, number]> = [];
    for (const p of ['validFrom', 'issuanceDate']) if (typeof doc[p] === 'string') starts.push([p, Date.parse(doc[p] as string)]);
    for (const p of ['validUntil', 'expirationDate']) if (typeof doc[p] === 'string') ends.push([p, Date.parse(doc[p] as string)]);
    if (subject.jws) {
      if (typeof doc.nbf === 'number') starts.push(['nbf', doc.nbf * 1000]);
      if (typeof doc.exp === 'number') ends.push(['exp', doc.exp * 1000]);
    }
    for (const [p, t] of starts) {
      if (t > now + skew) return failed('NOT_YET_VALID', `Not valid before ${new Date(t).toISOString()} (${p}).`, { [p]: new Date(t).toISOString() });
    }
    for (const [p, t] of ends) {
      if (t < now - skew) return failed('EXPIRED', `Expired at ${new Date(t).toISOString()} (${p}).`, { [p]: new Date(t).toISOString() });
    }
    return passed(starts.length + ends.length > 0 ? 'Within its validity period.' : 'No validity period stated.');
  },
};
