import { valuesOf } from './data-model.js';
import { holderOf } from './holder.js';
import { failed, passed, type Check } from './check.js';
import type { VerificationSubject } from './types.js';

function proofField(subject: VerificationSubject, field: 'challenge' | 'domain'): unknown {
  if (subject.jws) return field === 'challenge' ? subject.document.nonce : subject.document.aud;
  return (valuesOf(subject.document.proof)[0] as Record<string, unknown> | undefined)?.[field];
}

/** `presentation`: challenge and domain as expected (a missing expected challenge fails), and the holder is each bound subject. */
export const presentationCheck: Check = {
  name: 'presentation',
  appliesTo: ['presentation'],
  requires: ['format'],
  async run({ subject, options, state }) {
    const { challenge, domain } = options.expected;
    if (typeof challenge !== 'string' || challenge === '') {
      return failed('PRESENTATION_CHALLENGE_MISMATCH', 'No expected challenge was given; presentations without one could be replayed.');
    }
    if (proofField(subject, 'challenge') !== challenge) return failed('PRESENTATION_CHALLENGE_MISMATCH', 'The presentation challenge (nonce) is not the expected one.');
    if (domain !== undefined) {
      const actual = proofField(subject, 'domain');
      if (!(actual === domain || (Array.isArray(actual) && actual.includes(domain)))) {
        return failed('PRESENTATION_DOMAIN_MISMATCH', 'The presentation domain (aud) is not the expected one.');
      }
    }
    const holder = holderOf(subject);
    const credentials = (state.get('credentials') as VerificationSubject[] | undefined) ?? [];
    for (const [i, c] of credentials.entries()) {
      const subjectDids = valuesOf(c.document.credentialSubject)
        .map((s) => (typeof s === 'object' && s !== null ? (s as Record<string, unknown>).id : undefined))
        .filter((id): id is string => typeof id === 'string' && id.startsWith('did:'));
      if (subjectDids.length > 0 && (!holder || !subjectDids.includes(holder))) {
        return failed('HOLDER_NOT_SUBJECT', `Credential ${i} is bound to ${subjectDids.join(', ')}, not to the holder ${String(holder)}.`, { index: i });
      }
    }
    return passed('Challenge, domain and holder binding as expected.', { holder });
  },
};
