import { issuerId } from './data-model.js';
import { verifyDataIntegrity } from './proof-data-integrity.js';
import { verifyJose } from './proof-jose.js';
import { holderOf } from './holder.js';
import type { Check } from './check.js';

/** `proof`: every proof verifies, with an allowed suite/alg, by a key the issuer (or holder) lists for that purpose. */
export const proofCheck: Check = {
  name: 'proof',
  appliesTo: ['credential', 'presentation'],
  // issuer applies to credentials only; a presentation's holder key is resolved by the proof check itself.
  requires: ['format', 'issuer'],
  async run(ctx) {
    const { subject } = ctx;
    const controller = subject.kind === 'credential' ? issuerId(subject.document) : holderOf(subject);
    return subject.jws ? verifyJose(ctx, controller) : verifyDataIntegrity(ctx, controller);
  },
};
