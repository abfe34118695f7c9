/** Shared inputs for the ELM tests: an institution, deterministic ids, minimal/maximal requests. */
import type { Institution } from '../../src/institutions/types.js';
import type { MicroCredentialRequest } from '../../src/elm/index.js';

/** A test institution (Irish university). */
export const institution: Institution = {
  id: 'inst-1', slug: 'uniz', did: 'did:web:microcred.example:issuers:uniz', legalName: 'University of Zed',
  country: 'IE', legalIdentifiers: { eidas: 'NTRIE-123456', vat: 'IE6543210A' }, homepage: 'https://uniz.example',
  defaultLanguage: 'en', status: 'active', createdAt: '2024-01-01T00:00:00Z',
};

/** Deterministic uuid source: 00000000-0000-4000-8000-000000000001, ...002, ... */
export function sequentialIds(): () => string {
  let n = 0;
  return () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
}

/** Fixed issuing time. */
export const NOW = new Date('2024-05-02T10:00:00.000Z');

/** The smallest request that is Annex I complete. */
export const minimalRequest: MicroCredentialRequest = {
  learner: { givenName: 'Ana', familyName: 'Andromeda' },
  title: 'Data literacy basics',
  learningOutcomes: [{ text: 'Interpret descriptive statistics of a data set.' }],
  workload: { ects: 2 },
  eqfLevel: 5,
  assessment: { type: 'written-examination' },
  participation: { mode: 'online' },
  qualityAssurance: { type: 'institutional-qa' },
};

/** A request using every field. */
export const maximalRequest: MicroCredentialRequest = {
  learner: {
    id: 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK', givenName: 'Ana', familyName: 'Andromeda',
    email: 'ana@example.org', dateOfBirth: '1999-10-02', nationalId: { value: 'IT-12345678', country: 'IT' }, studentId: 'S-8765',
  },
  title: { en: 'Digital micro-credential creation', fr: 'Création de micro-certifications numériques' },
  description: { en: 'Create ELM-compliant micro-credentials.', fr: 'Créer des micro-certifications conformes à ELM.' },
  learningOutcomes: [
    { text: { en: 'Develop digital content', fr: 'Développer des contenus numériques' }, escoSkill: 'http://data.europa.eu/esco/skill/5fd5c985-eaaa-47aa-8314-62359c54505a' },
    { text: { en: 'Communicate with a target community' } },
  ],
  workload: { ects: 2, hours: 60 },
  eqfLevel: 6,
  nqfLevel: 'c_c392e7a2',
  thematicArea: ['0688', '003'],
  learningOpportunityType: 'course',
  assessment: { type: 'artefact-assessment', title: { en: 'Digital artefact assessment' }, mode: 'online', grade: 'Pass', supervision: 'unsupervised-no-id' },
  participation: { mode: 'blended', learningSetting: 'non-formal' },
  qualityAssurance: { type: 'programme-qa' },
  awardingBody: { legalName: 'Research Alliance', country: 'BEL', legalIdentifier: 'BE0123456789' },
  awardedDate: '2024-04-30T12:00:00Z',
  prerequisites: 'An EU Login account.',
  stackability: { standalone: false, partOf: { title: 'MSc Digital Education', id: 'http://data.europa.eu/snb/qualification/example-msc' }, stackableTowards: [{ title: 'Certificate in Digital Credentials' }] },
  furtherInformation: { url: 'https://uniz.example/courses/dmc', text: 'Offered twice a year.' },
  languages: ['en', 'fr'],
  validFrom: '2024-05-01T00:00:00Z',
  validUntil: '2029-05-01T00:00:00Z',
  identifier: 'C012',
};
