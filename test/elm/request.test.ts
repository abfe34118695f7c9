import { describe, expect, it } from 'vitest';
import { validateMicroCredentialRequest } from '../../src/elm/index.js';
import { maximalRequest, minimalRequest } from './fixtures.js';

/** The paths of the errors a refused request reports (it must be refused: 400 INVALID_REQUEST). */
function refusedPaths(body: unknown): string[] {
  try {
    validateMicroCredentialRequest(body);
  } catch (e) {
    expect(e).toMatchObject({ code: 'INVALID_REQUEST', status: 400 });
    return (e as { detail: { errors: { path: string }[] } }).detail.errors.map((x) => x.path);
  }
  return expect.unreachable();
}

describe('validateMicroCredentialRequest', () => {
  it('accepts the minimal and maximal requests unchanged', () => {
    expect(validateMicroCredentialRequest(structuredClone(minimalRequest))).toEqual(minimalRequest);
    expect(validateMicroCredentialRequest(structuredClone(maximalRequest))).toEqual(maximalRequest);
  });

  const bad: [string, unknown, string][] = [
    ['not an object', 'x', '/'],
    ['missing learner', { title: 'T' }, '/'],
    ['unknown top-level property', { ...minimalRequest, colour: 'blue' }, '/'],
    ['unknown learner property', { ...minimalRequest, learner: { ...minimalRequest.learner, age: 3 } }, '/learner'],
    ['eqf 9', { ...minimalRequest, eqfLevel: 9 }, '/eqfLevel'],
    ['empty outcomes', { ...minimalRequest, learningOutcomes: [] }, '/learningOutcomes'],
    ['empty workload', { ...minimalRequest, workload: {} }, '/workload'],
    ['negative ects', { ...minimalRequest, workload: { ects: -1 } }, '/workload/ects'],
    ['bad language map key', { ...minimalRequest, title: { english: 'x' } }, '/title'],
    ['bad date of birth', { ...minimalRequest, learner: { ...minimalRequest.learner, dateOfBirth: '02/10/1999' } }, '/learner/dateOfBirth'],
    ['bad holder id', { ...minimalRequest, learner: { ...minimalRequest.learner, id: 'https://x' } }, '/learner/id'],
    ['supervision without grade', { ...minimalRequest, assessment: { type: 'quiz', supervision: 'unsupervised-no-id' } }, '/assessment'],
    ['bad ESCO URI', { ...minimalRequest, learningOutcomes: [{ text: 'x', escoSkill: 'http://example.org/s' }] }, '/learningOutcomes/0/escoSkill'],
  ];
  for (const [name, body, path] of bad) {
    it(`refuses ${name} with 400 INVALID_REQUEST at ${path}`, () => {
      expect(refusedPaths(body)).toContain(path);
    });
  }

  it('trims names and mandatory texts without touching the input', () => {
    const input = { ...minimalRequest, learner: { givenName: ' Ana\u00a0', familyName: '\tAndromeda ' }, title: { en: ' T ' }, learningOutcomes: [{ text: ' Outcome ' }] };
    const copy = structuredClone(input);
    const out = validateMicroCredentialRequest(input);
    expect([out.learner.givenName, out.learner.familyName, out.title, out.learningOutcomes![0]!.text]).toEqual(['Ana', 'Andromeda', { en: 'T' }, 'Outcome']);
    expect(input).toEqual(copy);
  });

  const blank: [string, unknown, string][] = [
    ['a blank given name', { ...minimalRequest, learner: { givenName: ' \n', familyName: 'A' } }, '/learner/givenName'],
    ['a family name with a line break', { ...minimalRequest, learner: { givenName: 'A', familyName: 'Multi\r\nLine' } }, '/learner/familyName'],
    ['a blank title', { ...minimalRequest, title: ' ' }, '/title'],
    ['a title with a control character', { ...minimalRequest, title: { en: 'A\u001bB' } }, '/title'],
    ['a blank learning outcome', { ...minimalRequest, learningOutcomes: [{ text: { en: '\u3000' } }] }, '/learningOutcomes/0/text'],
  ];
  for (const [name, body, path] of blank) {
    it(`refuses ${name} with 400 INVALID_REQUEST at ${path}`, () => {
      expect(refusedPaths(body).some((p) => p.startsWith(path))).toBe(true);
    });
  }

  it('reports all errors at once', () => {
    try {
      validateMicroCredentialRequest({ title: 5, learner: { givenName: 'a' }, eqfLevel: 0 });
      expect.unreachable();
    } catch (e) {
      const paths = (e as { detail: { errors: { path: string }[] } }).detail.errors.map((x) => x.path);
      expect(paths).toEqual(expect.arrayContaining(['/title', '/learner', '/eqfLevel']));
    }
  });
});
