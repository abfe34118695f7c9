/**
 * Builds an unsigned EDC `EuropeanDigitalCredential` (ELM v3, VC Data Model 1.1 + edc-ap
 * context, as EDC issues it) from a validated micro-credential request. Conformance with the
 * EDC SHACL shapes (generic-no-cv + generic-full, + accredited) is asserted in test/elm.
 */
import { BadRequestError, UnprocessableError } from '../errors.js';
import type { Institution } from '../institutions/types.js';
import type { DocumentLoader } from '../jsonld/index.js';
import { accreditationForCredential, ELM_CREDENTIAL_CONTEXT } from './accreditation-node.js';
import { awardingBodyNode, hoursToDuration, idMinter, issuerNode, note, personNode, type IdMinter } from './build-parts.js';
import { displayParameterNode } from './display.js';
import { idOf, nodes } from './elm-read.js';
import { langsOf, pickText, toLangMap } from './lang.js';
import type { LangText, MicroCredentialRequest, ReferenceInput } from './request-types.js';
import { concept, conceptNode, findConcept, type ConceptNode } from './vocabularies.js';

/** Inputs besides the request; time and ids are injected so output is deterministic. */
export interface BuildOptions {
  institution: Institution;
  /** The registry's ELM Accreditation node when the request names one. */
  accreditation?: Record<string, unknown>;
  now: Date;
  newId: () => string;
  /** Loader for accreditation records carrying their own @context (defaults to the bundled loader). */
  documentLoader?: DocumentLoader;
}

const EVIDENCE_ACCREDITATION: ConceptNode = {
  id: 'http://data.europa.eu/snb/evidence-type/c_991b06c6', type: 'Concept',
  inScheme: { id: 'http://data.europa.eu/snb/evidence-type/25831c2', type: 'ConceptScheme' }, prefLabel: { en: 'Accreditation' },
};
const SCHEMA_FULL = { id: 'http://data.europa.eu/snb/model/ap/edc-generic-full', type: 'ShaclValidator2017' };
const SCHEMA_ACCREDITED = { id: 'http://data.europa.eu/snb/model/ap/edc-accredited', type: 'ShaclValidator2017' };

const seconds = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Every language-bearing text of a request, with its field path. */
function textsOf(request: MicroCredentialRequest): [string, LangText][] {
  const out: [string, LangText | undefined][] = [
    ['title', request.title], ['description', request.description], ['prerequisites', request.prerequisites],
    ...(request.learningOutcomes ?? []).map((lo, i): [string, LangText] => [`learningOutcomes[${i}].text`, lo.text]),
    ['assessment.title', request.assessment?.title], ['furtherInformation.text', request.furtherInformation?.text],
    ['stackability.partOf.title', request.stackability?.partOf?.title],
    ...(request.stackability?.stackableTowards ?? []).map((r, i): [string, LangText] => [`stackability.stackableTowards[${i}].title`, r.title]),
  ];
  return out.filter((e): e is [string, LangText] => e[1] !== undefined);
}

/**
 * The credential's languages, primary first. Every language-map key must be a language of the
 * vocabulary and, when `languages` is given, one of them; the primary language must then be
 * present in the mandatory texts (title, learning outcomes), or the credential has none to show.
 */
function languagesOf(request: MicroCredentialRequest, institution: Institution): string[] {
  const texts = textsOf(request);
  for (const [field, t] of texts) for (const key of langsOf(t)) concept('language', key, `${field}.${key}`);
  if (!request.languages) return [...new Set([institution.defaultLanguage, ...texts.flatMap(([, t]) => langsOf(t))])].map((l) => l.toLowerCase());
  const declared = request.languages.map((l) => l.toLowerCase());
  for (const [field, t] of texts) {
    const stray = langsOf(t).find((k) => !declared.includes(k));
    if (stray) {
      throw new BadRequestError('LANGUAGE_NOT_DECLARED', `Language "${stray}" of ${field} is not in languages.`, { field: `${field}.${stray}`, value: stray, allowed: declared });
    }
  }
  const primary = declared[0]!;
  for (const [field, t] of texts.filter(([f]) => f === 'title' || f.startsWith('learningOutcomes['))) {
    if (typeof t !== 'string' && !Object.hasOwn(t, primary)) {
      throw new BadRequestError('PRIMARY_LANGUAGE_MISSING', `${field} has no text in the primary language "${primary}".`, { field, value: langsOf(t), required: primary });
    }
  }
  return declared;
}

/** Workload figures are written with at most this many decimals. */
const WORKLOAD_DECIMALS = 2;

/**
 * A workload figure as a plain decimal rounded to two places (never 1e-7 or 0.30000000000000004);
 * one that rounds to zero would claim a workload of nothing, so it is refused.
 */
function workloadDecimal(value: number, field: string): string {
  const text = value.toFixed(WORKLOAD_DECIMALS).replace(/\.?0+$/, '');
  if (Number(text) === 0) {
    throw new BadRequestError('WORKLOAD_TOO_SMALL', `${field} ${value} rounds to 0 at ${WORKLOAD_DECIMALS} decimals.`, { field, value, decimals: WORKLOAD_DECIMALS });
  }
  return text;
}

function reference(mint: IdMinter, ref: ReferenceInput, primary: string): Record<string, unknown> {
  return { id: ref.id ?? mint('qualification'), type: 'Qualification', title: toLangMap(ref.title, primary) };
}

function accreditationTypeOf(node: Record<string, unknown>): string | undefined {
  return idOf(node['dcType']);
}

/** Builds the unsigned EuropeanDigitalCredential for a validated request. */
export async function buildMicroCredential(request: MicroCredentialRequest, options: BuildOptions): Promise<Record<string, unknown>> {
  const { institution, now, newId } = options;
  const mint = idMinter(newId);
  const languages = languagesOf(request, institution).map((code, i) => ({ code, node: concept('language', code, `languages[${i}]`) }));
  const primary = languages[0]!.code;
  const text = (t: Parameters<typeof toLangMap>[0]) => toLangMap(t, primary);
  const issued = seconds(now);

  const issuer = issuerNode(mint, institution);
  // Same node (same ids) when the institution awards: a second copy would give its IRI two eIDAS identifiers.
  const awardingBody = request.awardingBody ? awardingBodyNode(mint, request.awardingBody, primary) : structuredClone(issuer);
  const awardedBy = { id: mint('awardingProcess'), type: 'AwardingProcess', awardingBody: [awardingBody], awardingDate: request.awardedDate ?? issued };

  // Quality assurance: a registry accreditation, or a declared QA type recorded as a note whose subject is the accreditation-type concept.
  const qa = request.qualityAssurance;
  let accreditation: Record<string, unknown> | undefined;
  if (qa?.accreditationId) {
    if (!options.accreditation) {
      throw new UnprocessableError('ACCREDITATION_NOT_FOUND', `Accreditation "${qa.accreditationId}" was not supplied to the builder.`, { accreditationId: qa.accreditationId });
    }
    accreditation = await accreditationForCredential(options.accreditation, options.documentLoader);
    if (qa.type) {
      const wanted = concept('accreditation-type', qa.type, 'qualityAssurance.type').id;
      if (accreditationTypeOf(accreditation) !== wanted) {
        throw new UnprocessableError('ACCREDITATION_TYPE_MISMATCH', `Accreditation "${qa.accreditationId}" is not of type ${qa.type}.`,
          { expected: wanted, actual: accreditationTypeOf(accreditation) ?? null });
      }
    }
  }

  const spec: Record<string, unknown> = {
    id: mint('qualification'),
    type: 'Qualification',
    title: text(request.title),
    dcType: concept('learning-opportunity-type', request.learningOpportunityType ?? 'short-learning-programme', 'learningOpportunityType'),
    language: languages.map((l) => l.node),
  };
  if (request.description) spec['description'] = text(request.description);
  if (request.learningOutcomes) {
    spec['learningOutcome'] = request.learningOutcomes.map((lo) => {
      const out: Record<string, unknown> = { id: mint('learningOutcome'), type: 'LearningOutcome', title: text(lo.text) };
      if (lo.escoSkill) {
        out['relatedESCOSkill'] = [{ id: lo.escoSkill, type: 'Concept', inScheme: { id: 'http://data.europa.eu/esco/concept-scheme/skills', type: 'ConceptScheme' } }];
      }
      return out;
    });
  }
  const w = request.workload;
  const credits = [
    ...(w?.ects !== undefined ? [{ framework: 'ects', point: w.ects }] : []),
    ...(w?.ecvet !== undefined ? [{ framework: 'ecvet', point: w.ecvet }] : []),
  ];
  if (credits.length > 0) {
    spec['creditPoint'] = credits.map((c) => ({
      id: mint('creditPoint'), type: 'CreditPoint', framework: concept('credit-framework', c.framework, `workload.${c.framework}`), point: workloadDecimal(c.point, `workload.${c.framework}`),
    }));
  }
  if (w?.hours !== undefined) spec['volumeOfLearning'] = hoursToDuration(Number(workloadDecimal(w.hours, 'workload.hours')));
  if (request.eqfLevel !== undefined) spec['eqfLevel'] = concept('eqf', String(request.eqfLevel), 'eqfLevel');
  if (request.nqfLevel) spec['nqfLevel'] = [concept('nqf', request.nqfLevel, 'nqfLevel')];
  if (request.thematicArea) spec['thematicArea'] = request.thematicArea.map((c, i) => concept('isced-f', c, `thematicArea[${i}]`));
  if (request.participation) {
    spec['mode'] = [concept('mode', request.participation.mode, 'participation.mode')];
    if (request.participation.learningSetting) spec['learningSetting'] = concept('learning-setting', request.participation.learningSetting, 'participation.learningSetting');
  }
  if (request.prerequisites) spec['entryRequirement'] = note(mint, request.prerequisites, primary);
  const st = request.stackability;
  if (st) {
    spec['isPartialQualification'] = st.partialQualification ?? !st.standalone;
    const parts = [...(st.partOf ? [st.partOf] : []), ...(st.stackableTowards ?? [])];
    if (parts.length > 0) spec['isPartOf'] = parts.map((p) => reference(mint, p, primary));
  }
  const notes: Record<string, unknown>[] = [];
  if (qa?.type && !accreditation) {
    const qaConcept = concept('accreditation-type', qa.type, 'qualityAssurance.type');
    notes.push(note(mint, { en: `Quality assurance: ${qaConcept.prefLabel['en']}` }, primary, qaConcept));
  }
  if (request.furtherInformation?.text) notes.push(note(mint, request.furtherInformation.text, primary));
  if (notes.length > 0) spec['additionalNote'] = notes;
  if (request.furtherInformation?.url) spec['supplementaryDocument'] = [{ id: mint('webResource'), type: 'WebResource', contentURL: request.furtherInformation.url }];
  if (accreditation) spec['accreditation'] = [accreditation];

  const achievement: Record<string, unknown> = { id: mint('learningAchievement'), type: 'LearningAchievement', title: text(request.title), awardedBy };
  if (request.description) achievement['description'] = text(request.description);
  if (request.assessment) {
    const a = request.assessment;
    const typeConcept = concept('assessment-type', a.type, 'assessment.type');
    const modeCode = a.mode ?? request.participation?.mode;
    const assessmentSpec: Record<string, unknown> = {
      id: mint('learningAssessmentSpec'), type: 'LearningAssessmentSpecification',
      title: a.title ? text(a.title) : { [primary]: typeConcept.prefLabel['en']! }, dcType: typeConcept, language: languages.map((l) => l.node),
    };
    if (modeCode) assessmentSpec['mode'] = [concept('mode', modeCode, a.mode ? 'assessment.mode' : 'participation.mode')];
    spec['provenBy'] = [assessmentSpec];
    if (a.grade) {
      const assessment: Record<string, unknown> = {
        id: mint('learningAssessment'), type: 'LearningAssessment', title: assessmentSpec['title'],
        grade: note(mint, a.grade, primary), awardedBy, specifiedBy: assessmentSpec,
      };
      if (a.supervision) assessment['idVerification'] = concept('supervision', a.supervision, 'assessment.supervision');
      achievement['provenBy'] = [assessment];
    }
  }
  achievement['specifiedBy'] = spec;

  const subject = personNode(mint, request.learner, primary, newId);
  subject['hasClaim'] = [achievement];

  const profile = conceptNode('credential-profile', findConcept('credential-profile', accreditation ? 'accredited' : 'generic')!);
  const lines = [
    ...(request.eqfLevel ? [`EQF level ${request.eqfLevel}`] : []),
    ...(w?.ects !== undefined ? [`${workloadDecimal(w.ects, 'workload.ects')} ECTS`] : []),
    ...(w?.hours !== undefined ? [`${workloadDecimal(w.hours, 'workload.hours')} hours`] : []),
    ...(request.assessment?.grade ? [`Grade: ${request.assessment.grade}`] : []),
  ];
  const credential: Record<string, unknown> = {
    '@context': [...ELM_CREDENTIAL_CONTEXT],
    id: `urn:credential:${newId()}`,
    type: ['VerifiableCredential', 'EuropeanDigitalCredential'],
    credentialProfiles: [profile],
    credentialSchema: accreditation ? [SCHEMA_FULL, SCHEMA_ACCREDITED] : [SCHEMA_FULL],
    displayParameter: displayParameterNode(mint, {
      title: text(request.title), learner: `${request.learner.givenName} ${request.learner.familyName}`,
      issuer: pickText(issuer['legalName']) ?? institution.legalName, issued, lines,
    }, languages),
    issuer,
    issuanceDate: issued,
    issued,
    validFrom: request.validFrom ?? issued,
    credentialSubject: subject,
  };
  if (request.validUntil) { credential['validUntil'] = request.validUntil; credential['expirationDate'] = request.validUntil; }
  if (request.identifier) credential['identifier'] = [{ id: mint('identifier'), type: 'Identifier', notation: request.identifier, schemeName: 'Certificate number' }];
  if (accreditation) {
    // One accreditation per evidence (EDC-accredited: exactly one), as a single node, not a list.
    credential['evidence'] = [{ id: mint('evidence'), type: 'Evidence', dcType: EVIDENCE_ACCREDITATION, accreditation }];
  }
  return credential;
}

/** The accreditation nodes a credential carries on its specification (for callers that check scope). */
export function accreditationsOf(credential: Record<string, unknown>): Record<string, unknown>[] {
  return nodes(credential['credentialSubject'], 'hasClaim').flatMap((c) => nodes(c, 'specifiedBy')).flatMap((s) => nodes(s, 'accreditation'));
}
