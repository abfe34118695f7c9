import { failed, passed, type Check } from './check.js';

// The validity periods of the two data models, as [start, end] property pairs.
const PERIODS = [['validFrom', 'validUntil'], ['issuanceDate', 'expirationDate']] as const;

/**
 * `validity`: validFrom/validUntil (VC 2.0), issuanceDate/expirationDate (VC 1.1) and JWT nbf/exp
 * against now ± skew. A period that ends before it starts is malformed whatever the clock says.
 * Presentations have no validity period in the data models, but a vp+jwt's nbf/exp bound the
 * token as they do a vc+jwt's (RFC 7519 §4.1.4, §4.1.5).
 */
export const validityCheck: Check = {
  name: 'validity',
  appliesTo: ['credential', 'presentation'],
  requires: ['format'],
  async run({ subject, options }) {
    const doc = subject.document;
    const now = options.now().getTime();
    const skew = options.clockSkewSeconds * 1000;
    const starts: Array<[string, number]> = [];
    const ends: Array<[string, number]> = [];
    if (subject.kind === 'credential') {
      // The format check has made every present date a dateTime with a time zone.
      for (const [start, end] of PERIODS) {
        const from = typeof doc[start] === 'string' ? Date.parse(doc[start] as string) : undefined;
        const until = typeof doc[end] === 'string' ? Date.parse(doc[end] as string) : undefined;
        // VC DM 2.0 §4.9: validFrom is the same as or earlier than validUntil.
        if (from !== undefined && until !== undefined && from > until) {
          return failed('MALFORMED_VALUE_ERROR', `"${start}" (${String(doc[start])}) is later than "${end}" (${String(doc[end])}).`, { [start]: doc[start], [end]: doc[end] });
        }
        if (from !== undefined) starts.push([start, from]);
        if (until !== undefined) ends.push([end, until]);
      }
    }
    if (subject.jws) {
      for (const [claim, bounds] of [['nbf', starts], ['exp', ends]] as const) {
        const v = doc[claim];
        if (v === undefined) continue;
        // A NumericDate (RFC 7519 §2); anything else would otherwise be a bound silently ignored.
        const t = typeof v === 'number' ? v * 1000 : Number.NaN;
        if (Number.isNaN(new Date(t).getTime())) return failed('MALFORMED_VALUE_ERROR', `The JWT claim "${claim}" must be a NumericDate (seconds since the epoch).`, { [claim]: v });
        bounds.push([claim, t]);
      }
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
