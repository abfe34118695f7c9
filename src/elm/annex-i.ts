/**
 * Annex I of the Council Recommendation of 16 June 2022 on micro-credentials: which of the
 * 11 mandatory and 5 optional elements an ELM credential (ours or anyone's, VC 1.1 compacted
 * edc-ap form) carries, where each was looked for, and a short human value.
 */
import { activitySpecificationsOf, assessmentsOf, withParts } from './claim-read.js';
import { asArray, idOf, isNode, nodes, present, typesOf, type Node } from './elm-read.js';
import { pickText } from './lang.js';
import { durationToHours } from './build-parts.js';
import { labelForUri } from './vocabularies.js';

/** Stable keys of the mandatory elements, in Annex I order. */
export const MANDATORY_ELEMENTS = [
  'learnerIdentification', 'title', 'issuerCountry', 'awardingBody', 'dateOfIssuing', 'learningOutcomes',
  'workload', 'level', 'assessmentType', 'participation', 'qualityAssurance',
] as const;
/** Stable keys of the optional elements. */
export const OPTIONAL_ELEMENTS = ['prerequisites', 'supervision', 'grade', 'stackability', 'furtherInformation'] as const;

/** A mandatory element key. */
export type MandatoryElement = (typeof MANDATORY_ELEMENTS)[number];
/** An optional element key. */
export type OptionalElement = (typeof OPTIONAL_ELEMENTS)[number];

/** One line of the report. */
export interface AnnexIElement { element: string; label: string; present: boolean; path: string; value?: string }
/** The Annex I report. */
export interface AnnexIReport { complete: boolean; missing: string[]; mandatory: AnnexIElement[]; optional: AnnexIElement[] }

/** Human labels (Annex I wording, shortened). */
export const ANNEX_I_LABELS: Record<MandatoryElement | OptionalElement, string> = {
  learnerIdentification: 'Identification of the learner', title: 'Title of the micro-credential',
  issuerCountry: 'Country/region of the issuer', awardingBody: 'Awarding body',
  dateOfIssuing: 'Date of issuing', learningOutcomes: 'Learning outcomes',
  workload: 'Notional workload (ECTS where possible)', level: 'Level (EQF/NQF)',
  assessmentType: 'Type of assessment', participation: 'Form of participation',
  qualityAssurance: 'Type of quality assurance', prerequisites: 'Prerequisites needed to enrol',
  supervision: 'Supervision and identity verification during assessment', grade: 'Grade achieved',
  stackability: 'Integration/stackability options', furtherInformation: 'Further information',
};

const ACCREDITATION_SCHEME = 'http://data.europa.eu/snb/accreditation/25831c2';
const ECTS = 'http://data.europa.eu/snb/education-credit/6fcec5c5af';

const fromUri = (id: string | undefined): string | undefined => (id ? labelForUri(id) ?? id.split('/').pop() : undefined);
const label = (concept: unknown): string | undefined =>
  (isNode(concept) ? pickText(concept['prefLabel']) : undefined) ?? fromUri(idOf(concept));
const labels = (values: unknown[]): string | undefined => {
  const l = [...new Set(values.map(label).filter((s): s is string => !!s))];
  return l.length > 0 ? l.join(', ') : undefined;
};
const all = (parents: Node[], prop: string): Node[] => parents.flatMap((p) => nodes(p, prop));
const values = (parents: Node[], prop: string): unknown[] => parents.flatMap((p) => asArray(p[prop])).filter(present);
/** `base.prop` for the one property that held values, `base.{a,b}` for several (all of them when none did). */
const pathOf = (base: string, props: string[], parents: Node[]): string => {
  const used = props.filter((p) => values(parents, p).length > 0);
  const shown = used.length > 0 ? used : props;
  return shown.length === 1 ? `${base}.${shown[0]}` : `${base}.{${shown.join(',')}}`;
};

/** True when the document looks like an ELM credential (EDC type or edc-ap context). */
export function isElmCredential(credential: unknown): boolean {
  if (!isNode(credential)) return false;
  return typesOf(credential).includes('EuropeanDigitalCredential')
    || asArray(credential['@context']).some((c) => typeof c === 'string' && c.startsWith('http://data.europa.eu/snb/model/context/edc-ap'));
}

function isQaNote(n: Node): boolean {
  return nodes(n, 'subject').some((s) => nodes(s, 'inScheme').some((sc) => idOf(sc) === ACCREDITATION_SCHEME));
}

/** Reports which Annex I elements the credential carries. */
export function annexIReport(credential: unknown): AnnexIReport {
  const cred: Node = isNode(credential) ? credential : {};
  const subjects = nodes(cred, 'credentialSubject');
  const claimsAll = all(subjects, 'hasClaim');
  const achievements = claimsAll.filter((c) => typesOf(c).includes('LearningAchievement'));
  const claims = achievements.length > 0 ? achievements : claimsAll;
  const specs = all(claims, 'specifiedBy');
  const awarding = all(claims, 'awardedBy');
  const bodies = all(awarding, 'awardingBody');
  // Assessments and their sub-assessments (an overall assessment may only group its parts).
  const assessments = assessmentsOf(claims);
  const issuers = nodes(cred, 'issuer');
  const C = 'credentialSubject.hasClaim[]';
  const S = `${C}.specifiedBy`;
  const found: AnnexIElement[] = [];
  const put = (element: MandatoryElement | OptionalElement, path: string, value: string | undefined, ok = value !== undefined): void => {
    found.push({ element, label: ANNEX_I_LABELS[element], present: ok, path, ...(ok && value !== undefined ? { value } : {}) });
  };

  const person = subjects[0];
  // A name that is only whitespace identifies no one.
  const nonBlank = (v: unknown): string | undefined => pickText(v)?.trim() || undefined;
  const name = person ? nonBlank(person['fullName']) ?? [nonBlank(person['givenName']), nonBlank(person['familyName'])].filter(Boolean).join(' ') : '';
  const ids = person ? values([person], 'nationalID').concat(values([person], 'identifier')) : [];
  put('learnerIdentification', 'credentialSubject.{givenName,familyName,fullName,nationalID,identifier}', name || (ids.length > 0 ? 'identifier' : undefined));
  put('title', `${C}.title`, pickText(values(claims, 'title')[0]) ?? pickText(values(specs, 'title')[0]));
  const countries = values(all(all(issuers, 'location'), 'address'), 'countryCode');
  const eidasCountries = values(all(issuers, 'eIDASIdentifier'), 'spatial');
  put('issuerCountry', countries.length > 0 ? 'issuer.location[].address[].countryCode' : 'issuer.eIDASIdentifier.spatial', labels(countries.length > 0 ? countries : eidasCountries));
  put('awardingBody', `${C}.awardedBy.awardingBody[]`, bodies.length > 0 ? bodies.map((b) => pickText(b['legalName']) ?? idOf(b) ?? '?').join(', ') : undefined);
  const issued = cred['issued'] ?? cred['issuanceDate'];
  put('dateOfIssuing', cred['issued'] ? 'issued' : 'issued|issuanceDate', typeof issued === 'string' ? issued : undefined);
  const outcomes = all(specs, 'learningOutcome');
  const summary = values(specs, 'learningOutcomeSummary');
  put('learningOutcomes', outcomes.length > 0 || summary.length === 0 ? `${S}.learningOutcome[]` : `${S}.learningOutcomeSummary`,
    outcomes.length > 0 ? `${outcomes.length} outcome(s): ${pickText(outcomes[0]!['title']) ?? ''}` : summary.length > 0 ? 'summary' : undefined);
  const credits = all(specs, 'creditPoint').concat(all(claims, 'creditReceived'));
  const volume = values(specs, 'volumeOfLearning').concat(values(specs, 'workload')).find((v) => typeof v === 'string') as string | undefined;
  const creditText = credits.map((c) => `${String(c['point'] ?? '?')} ${idOf(c['framework']) === ECTS ? 'ECTS' : label(c['framework']) ?? ''}`.trim());
  const hours = volume ? durationToHours(volume) : undefined;
  put('workload', credits.length > 0 ? `${S}.creditPoint[]` : `${S}.volumeOfLearning`,
    [...creditText, ...(volume ? [hours !== undefined ? `${Number(hours.toFixed(2))} hours` : volume] : [])].join(', ') || undefined);
  // eqfLevel/nqfLevel belong to Qualification; a LearningAchievementSpecification states its level
  // as educationLevel (any framework: Annex I asks for the level, EQF or otherwise).
  const levelProps = ['eqfLevel', 'nqfLevel', 'educationLevel'];
  put('level', pathOf(S, levelProps, specs), labels(levelProps.flatMap((p) => values(specs, p))));
  const assessmentTypes = values(withParts(all(assessments, 'specifiedBy')), 'dcType').concat(values(withParts(all(specs, 'provenBy')), 'dcType'));
  put('assessmentType', `${C}.provenBy[]{.hasPart[]}*.specifiedBy.dcType | ${S}.provenBy[]{.hasPart[]}*.dcType`, labels(assessmentTypes));
  // The form of participation is a mode of the learning, stated on the achievement's specification
  // or on the learning activity behind it (assessment modes do not count).
  const activitySpecs = activitySpecificationsOf(claims, specs);
  const participation: [string, unknown[]][] = [
    [`${S}.mode`, values(specs, 'mode')],
    [`${C}.influencedBy[].specifiedBy.mode`, values(activitySpecs.ofActivities, 'mode')],
    [`${S}.influencedBy[].mode`, values(activitySpecs.ofSpecifications, 'mode')],
  ];
  const [participationPath, modes] = participation.find(([, v]) => v.length > 0) ?? participation[0]!;
  put('participation', participationPath, labels(modes));
  const accreditations = [...all(specs, 'accreditation'), ...all(nodes(cred, 'evidence'), 'accreditation'), ...all(issuers, 'accreditation'), ...all(bodies, 'accreditation')];
  const qaNotes = all(specs, 'additionalNote').filter(isQaNote);
  put('qualityAssurance', accreditations.length > 0 ? `${S}.accreditation | evidence[].accreditation` : `${S}.additionalNote[subject in accreditation scheme]`,
    accreditations.length > 0 ? labels(accreditations.map((a) => a['dcType'])) ?? pickText(accreditations[0]!['title']) ?? 'accreditation'
      : qaNotes.length > 0 ? labels(qaNotes.map((n) => n['subject'])) : undefined);

  put('prerequisites', `${S}.entryRequirement`, pickText(values(all(specs, 'entryRequirement'), 'noteLiteral')[0]));
  put('supervision', `${C}.provenBy[]{.hasPart[]}*.idVerification`, labels(values(assessments, 'idVerification')));
  // Breadth-first: an overall grade wins over the grades of the parts.
  put('grade', `${C}.provenBy[]{.hasPart[]}*.grade`, pickText(values(all(assessments, 'grade'), 'noteLiteral')[0]));
  const partOf = all(specs, 'isPartOf');
  const partial = values(specs, 'isPartialQualification')[0];
  put('stackability', `${S}.{isPartOf,hasPart,isPartialQualification}`,
    partOf.length > 0 ? `part of ${partOf.map((p) => pickText(p['title']) ?? idOf(p)).join(', ')}`
      : all(specs, 'hasPart').length > 0 ? 'has parts' : partial !== undefined ? (String(partial) === 'true' ? 'partial qualification' : 'stand-alone') : undefined);
  const docs = all(specs, 'supplementaryDocument').concat(all(specs, 'homepage'));
  const infoNotes = all(specs, 'additionalNote').filter((n) => !isQaNote(n)).concat(all(claims, 'additionalNote'));
  put('furtherInformation', `${S}.{supplementaryDocument,homepage,additionalNote}`,
    docs.length > 0 ? String(docs[0]!['contentURL'] ?? idOf(docs[0])) : pickText(values(infoNotes, 'noteLiteral')[0]));

  const mandatory = found.filter((e) => (MANDATORY_ELEMENTS as readonly string[]).includes(e.element));
  const optional = found.filter((e) => (OPTIONAL_ELEMENTS as readonly string[]).includes(e.element));
  const missing = mandatory.filter((e) => !e.present).map((e) => e.element);
  return { complete: missing.length === 0, missing, mandatory, optional };
}
