import { describe, expect, it } from 'vitest';
import { validateMicroCredentialRequest } from '../../src/elm/index.js';
import { maximalRequest, minimalRequest } from './fixtures.js';

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
      try {
        validateMicroCredentialRequest(body);
        expect.unreachable();
      } catch (e) {
        expect(e).toMatchObject({ code: 'INVALID_REQUEST', status: 400 });
        const errors = (e as { detail: { errors: { path: string }[] } }).detail.errors;
        expect(errors.map((x) => x.path)).toContain(path);
      }
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
