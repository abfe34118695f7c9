/** A human summary of any ELM credential, for API responses and the credential web page. */
import { durationToHours } from './build-parts.js';
import { activitySpecificationsOf, assessmentsOf, withParts } from './claim-read.js';
import { asArray, idOf, isNode, nodes, typesOf, type Node } from './elm-read.js';
import { iso639_1Of, pickText } from './lang.js';
import { labelForUri } from './vocabularies.js';

/** The summary shape. */
export interface CredentialSummary {
  title?: string;
  learner?: string;
  issuer: { name?: string; country?: string };
  awardingBody?: string;
  issued?: string;
  learningOutcomes: string[];
  ects?: number;
  hours?: number;
  eqfLevel?: string;
  nqfLevel?: string;
  assessment: { type?: string; grade?: string; idVerification?: string };
  participation: { mode?: string; setting?: string };
  qualityAssurance: { accreditation?: { title?: string; type?: string; accreditingAgent?: string; expiryDate?: string }; type?: string };
  stackability?: string;
  validFrom?: string;
  validUntil?: string;
  languages: string[];
}

const ECTS = 'http://data.europa.eu/snb/education-credit/6fcec5c5af';
const ACCREDITATION_SCHEME = 'http://data.europa.eu/snb/accreditation/25831c2';
const EQF_LEVEL = 'http://data.europa.eu/snb/eqf/';
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const first = <T>(a: T[]): T | undefined => a[0];

/** Summarizes a credential; language maps are read in `lang`, then the primary language, then English. */
export function summarize(credential: unknown, options: { lang?: string } = {}): CredentialSummary {
  const cred: Node = isNode(credential) ? credential : {};
  const display = first(nodes(cred, 'displayParameter'));
  const primary = idOf(display?.['primaryLanguage'])?.split('/').pop()?.toLowerCase();
  const languages = (display ? asArray(display['language']) : []).map((l) => idOf(l)?.split('/').pop()?.toLowerCase() ?? '')
    .filter(Boolean).map((c) => iso639_1Of(c) ?? c);
  const primary2 = primary ? iso639_1Of(primary) : undefined;
  const t = (v: unknown): string | undefined => pickText(v, options.lang, primary2);
  const lbl = (c: unknown): string | undefined => {
    const id = idOf(c);
    return (isNode(c) ? t(c['prefLabel']) : undefined) ?? (id ? labelForUri(id) ?? id.split('/').pop() : undefined);
  };

  const subject = first(nodes(cred, 'credentialSubject'));
  const claims = nodes(subject, 'hasClaim');
  const claim = claims.find((c) => typesOf(c).includes('LearningAchievement')) ?? claims[0];
  const spec = first(nodes(claim, 'specifiedBy'));
  const issuer = first(nodes(cred, 'issuer'));
  // The overall assessment first, then its parts: each fact comes from the first that states it.
  const assessments = claim ? assessmentsOf([claim]) : [];
  const assessmentSpecs = withParts(assessments.flatMap((a) => nodes(a, 'specifiedBy')).concat(nodes(spec, 'provenBy')));
  const activitySpecs = activitySpecificationsOf(claim ? [claim] : [], spec ? [spec] : []);
  const mode = [spec, ...activitySpecs.ofActivities, ...activitySpecs.ofSpecifications].flatMap((s) => asArray(s?.['mode']))[0];
  const credits = nodes(spec, 'creditPoint');
  const ects = credits.find((c) => idOf(c['framework']) === ECTS);
  const volume = str(first(asArray(spec?.['volumeOfLearning'])));
  const accreditation = first([...nodes(spec, 'accreditation'), ...nodes(cred, 'evidence').flatMap((e) => nodes(e, 'accreditation'))]);
  const qaNote = nodes(spec, 'additionalNote').find((n) => nodes(n, 'subject').some((s) => nodes(s, 'inScheme').some((sc) => idOf(sc) === ACCREDITATION_SCHEME)));
  const partOf = nodes(spec, 'isPartOf').map((p) => t(p['title'])).filter(Boolean);
  const partial = spec?.['isPartialQualification'];

  const givenFamily = [t(subject?.['givenName']), t(subject?.['familyName'])].filter(Boolean).join(' ');
  const summary: CredentialSummary = {
    title: t(claim?.['title']) ?? t(spec?.['title']) ?? t(display?.['title']),
    learner: t(subject?.['fullName']) ?? (givenFamily || undefined),
    issuer: { name: t(issuer?.['legalName']), country: lbl(first(nodes(first(nodes(first(nodes(issuer, 'location')), 'address')), 'countryCode'))) },
    awardingBody: t(first(nodes(first(nodes(claim, 'awardedBy')), 'awardingBody'))?.['legalName']),
    issued: str(cred['issued']) ?? str(cred['issuanceDate']),
    learningOutcomes: nodes(spec, 'learningOutcome').map((o) => t(o['title'])).filter((s): s is string => !!s),
    assessment: {
      type: lbl(first(assessmentSpecs.flatMap((s) => nodes(s, 'dcType')))),
      grade: t(first(assessments.flatMap((a) => nodes(a, 'grade')))?.['noteLiteral']),
      idVerification: lbl(first(assessments.flatMap((a) => nodes(a, 'idVerification')))),
    },
    participation: { mode: lbl(mode), setting: lbl(first(nodes(spec, 'learningSetting'))) },
    qualityAssurance: accreditation
      ? { accreditation: { title: t(accreditation['title']), type: lbl(accreditation['dcType']), accreditingAgent: t(first(nodes(accreditation, 'accreditingAgent'))?.['legalName']), expiryDate: str(accreditation['expiryDate']) } }
      : { type: qaNote ? lbl(first(nodes(qaNote, 'subject'))) : undefined },
    validFrom: str(cred['validFrom']),
    validUntil: str(cred['validUntil']) ?? str(cred['expirationDate']),
    languages,
  };
  if (ects && ects['point'] !== undefined && !Number.isNaN(Number(ects['point']))) summary.ects = Number(ects['point']);
  const hours = volume ? durationToHours(volume) : undefined;
  if (hours !== undefined) summary.hours = Number(hours.toFixed(2));
  // A LearningAchievementSpecification states an EQF level as an educationLevel in the EQF scheme.
  const eqf = lbl(first(nodes(spec, 'eqfLevel')) ?? asArray(spec?.['educationLevel']).find((l) => idOf(l)?.startsWith(EQF_LEVEL)));
  if (eqf) summary.eqfLevel = eqf;
  const nqf = lbl(first(nodes(spec, 'nqfLevel')));
  if (nqf) summary.nqfLevel = nqf;
  if (partOf.length > 0) summary.stackability = `Part of ${partOf.join(', ')}`;
  else if (partial !== undefined) summary.stackability = String(partial) === 'true' ? 'Partial qualification' : 'Stand-alone';
  return summary;
}
