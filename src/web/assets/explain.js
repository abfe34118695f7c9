// Plain-language wording for each check line. The verifier's own message and code stay available under "Technical details".

/** Human titles of the checks the verifier runs. */
const TITLES = {
  format: 'Readable credential',
  issuer: 'Issuer identity',
  proof: 'Signature',
  presentation: 'Presentation',
  validity: 'Validity period',
  status: 'Revocation',
  trust: 'Recognised issuer',
  accreditation: 'Accreditation',
  completeness: 'EU micro-credential elements',
  annexI: 'EU micro-credential elements',
};

/** Status words and symbols: never colour alone. */
export const STATUS = {
  passed: { word: 'Passed', symbol: '✓' },
  failed: { word: 'Failed', symbol: '✕' },
  indeterminate: { word: 'Could not check', symbol: '?' },
  skipped: { word: 'Not checked', symbol: '–' },
};

/** Title of a check line. */
export function checkTitle(name) {
  return TITLES[name] ?? String(name).replace(/[-_]/g, ' ').replace(/^./, (c) => c.toUpperCase());
}

/** A date as "30 June 2027" (UTC), or the input when it is not a date. */
export function formatDate(value) {
  if (typeof value !== 'string') return undefined;
  const t = Date.parse(value);
  if (Number.isNaN(t)) return value;
  return new Date(t).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

function dateIn(detail) {
  if (!detail || typeof detail !== 'object') return undefined;
  for (const k of ['revokedAt', 'suspendedAt', 'date', 'statusDate', 'at']) if (typeof detail[k] === 'string') return formatDate(detail[k]);
  return undefined;
}

/** One plain sentence for a check result; `ctx` = {issuerName, issuerDid, validUntil}. */
export function explain(r, ctx = {}) {
  const d = r.detail ?? {};
  const who = ctx.issuerName ?? 'the issuer';
  if (r.status === 'skipped') {
    if (r.code === 'PREREQUISITE_NOT_MET') return 'Not checked, because an earlier check did not pass.';
    return r.message;
  }
  switch (r.check) {
    case 'format':
      return r.status === 'passed' ? 'The file is a well-formed credential.' : `This file is not a credential this service can read. ${r.message}`;
    case 'issuer':
      if (r.status === 'passed') return `The issuer's identity (${d.did ?? ctx.issuerDid ?? 'its DID'}) was found, with its public keys.`;
      if (r.status === 'indeterminate') return "The issuer's identity could not be looked up right now. Try again later.";
      return "The issuer's identity could not be found, so nobody can vouch for the signature.";
    case 'proof':
      if (r.status === 'passed') return `Signed by ${who}, and not changed since.`;
      if (r.status === 'indeterminate') return 'The signature could not be checked right now. Try again later.';
      return 'The signature does not match: the credential was changed after it was signed, or it was not signed by the issuer it names.';
    case 'validity':
      if (r.code === 'EXPIRED') return `Expired on ${formatDate(Object.values(d)[0]) ?? 'its end date'}.`;
      if (r.code === 'NOT_YET_VALID') return `Not valid before ${formatDate(Object.values(d)[0]) ?? 'its start date'}.`;
      if (r.status === 'passed') return ctx.validUntil ? `Valid until ${formatDate(ctx.validUntil)}.` : 'Currently valid; no end date is stated.';
      return r.message;
    case 'status':
      if (r.code === 'CREDENTIAL_REVOKED') return `Revoked by the issuer${dateIn(d) ? ` on ${dateIn(d)}` : ''}.`;
      if (r.code === 'CREDENTIAL_SUSPENDED') return `Suspended by the issuer${dateIn(d) ? ` on ${dateIn(d)}` : ''}.`;
      if (r.status === 'passed') return `Not revoked or suspended by ${who}.`;
      if (r.status === 'indeterminate') return "The issuer's revocation list could not be checked, so a withdrawal cannot be ruled out.";
      return r.message;
    case 'trust':
      if (r.status === 'passed') return `${d.legalName ?? who} is a recognised education provider${d.country ? ` (${d.country})` : ''}.`;
      if (r.code === 'ISSUER_NOT_TRUSTED') return 'The issuer is not in the registry of recognised education providers. The signature may still be genuine.';
      return r.message;
    case 'presentation':
      return r.status === 'passed' ? 'Presented by the person it was issued to, for this check.' : r.message;
    default:
      return r.message;
  }
}
