import type { CheckResult } from '../verifying/types.js';
import { declaresAccreditedProfile, readCredentialFacts } from './credential-claims.js';
import { idOf } from './elm-read.js';
import {
  ACCREDITATION_CODES, evaluateAccreditation, type AccreditationCheckOptions, type AccreditationEvaluation,
} from './evaluate-accreditation.js';
import { describeEqfLevels, describeFields } from './scope.js';
import { indexSnapshot } from './snapshot-index.js';
import type { TrustSnapshot } from './types.js';

/** Input of the accreditation check: the ELM credential and the date it was issued. */
export interface CheckAccreditationInput {
  credential: Record<string, unknown>;
  /** Defaults to the credential's issued, issuanceDate or validFrom. */
  issuedDate?: string | Date;
  /** The DID the signature is bound to; defaults to the credential's issuer id (the proof check binds the two). */
  issuerDid?: string;
}

function issuerDidOf(input: CheckAccreditationInput): string | null {
  const did = input.issuerDid ?? idOf(input.credential.issuer);
  return did && did.startsWith('did:') ? did : null;
}

function issuedOf(input: CheckAccreditationInput): Date | null {
  const c = input.credential;
  const raw = input.issuedDate ?? c.issued ?? c.issuanceDate ?? c.validFrom;
  if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? null : raw;
  if (typeof raw !== 'string') return null;
  const t = Date.parse(raw);
  return Number.isNaN(t) ? null : new Date(t);
}

function passedPhrase(e: AccreditationEvaluation): string {
  const rec = e.record!;
  const agent = e.agent?.legalName ?? rec.accreditingAgent.legalName ?? rec.accreditingAgent.id;
  const scope = [describeEqfLevels(rec.limits.eqfLevels), describeFields(rec.limits.fields)].filter(Boolean).join(' in ');
  const where = rec.limits.jurisdictions.length > 0 ? ` in ${rec.limits.jurisdictions.map((j) => j.split('/').pop()).join(', ')}` : '';
  const until = rec.expiryDate ? ` until ${rec.expiryDate.slice(0, 10)}` : ' with no expiry date';
  return `Accredited by ${agent}${scope ? ` for ${scope}` : ''}${where}${until}`;
}

function detailOf(e: AccreditationEvaluation, sites: string[]): Record<string, unknown> {
  const rec = e.record;
  return {
    id: e.id,
    sites,
    title: rec?.title ?? null,
    type: rec?.type ?? null,
    accreditingAgent: rec ? { id: rec.accreditingAgent.id, name: e.agent?.legalName ?? rec.accreditingAgent.legalName, registryId: e.agent?.id ?? null, trusted: !e.failures.some((f) => f.code === 'ACCREDITING_AGENT_NOT_TRUSTED') } : null,
    organisation: rec ? { id: rec.organisation.id, name: e.organisation?.legalName ?? rec.organisation.legalName, registryId: e.organisation?.id ?? null } : null,
    matchedVia: e.matchedVia,
    dateIssued: rec?.dateIssued ?? null,
    expiryDate: rec?.expiryDate ?? null,
    limits: rec?.limits ?? null,
    embeddedDiffersFromRegistry: e.embeddedDiffers,
    failures: e.failures,
  };
}

/** Check `accreditation`: every accreditation the ELM credential claims is registered, valid on the issuing date and covers it. */
export function checkAccreditation(input: CheckAccreditationInput, registry: TrustSnapshot, options: AccreditationCheckOptions = {}): CheckResult {
  const facts = readCredentialFacts(input.credential);
  if (facts.accreditations.length === 0) {
    if (options.required || declaresAccreditedProfile(facts)) {
      return {
        check: 'accreditation',
        status: 'failed',
        code: 'ACCREDITATION_NOT_CLAIMED',
        message: options.required
          ? 'An accreditation is required but the credential claims none.'
          : 'The credential declares the accredited profile but claims no accreditation.',
        detail: { credentialProfiles: facts.credentialProfiles },
      };
    }
    return { check: 'accreditation', status: 'skipped', message: 'No accreditation claimed.' };
  }
  const issued = issuedOf(input);
  if (!issued) {
    return { check: 'accreditation', status: 'failed', code: 'MALFORMED_VALUE_ERROR', message: 'The credential has no readable issuing date to test the accreditation period against.' };
  }
  const idx = indexSnapshot(registry);
  const issuerDid = issuerDidOf(input);
  const evaluations = facts.accreditations.map((c) => evaluateAccreditation(c, facts, issued, idx, options, issuerDid));
  const detail = {
    issuedDate: issued.toISOString(),
    accreditations: evaluations.map((e, i) => detailOf(e, facts.accreditations[i]!.sites)),
  };
  const failures = evaluations.flatMap((e) => e.failures);
  if (failures.length === 0) {
    return { check: 'accreditation', status: 'passed', message: `${evaluations.map(passedPhrase).join('; ')}.`, detail };
  }
  // The most fundamental problem names the check; detail lists all of them.
  const first = [...failures].sort((a, b) => ACCREDITATION_CODES.indexOf(a.code) - ACCREDITATION_CODES.indexOf(b.code))[0]!;
  const more = failures.length > 1 ? ` (${failures.length - 1} more problem${failures.length > 2 ? 's' : ''} in detail)` : '';
  return { check: 'accreditation', status: 'failed', code: first.code, message: `${first.message}${more}`, detail };
}
