import { describe, expect, it } from 'vitest';
import { csvRecordToFields, mergeOverTemplate, CSV_COLUMNS } from '../../src/microcredentials/index.js';
import { checkCsvHeader } from '../../src/microcredentials/csv-rows.js';
import { courseSpec } from './fixtures.js';

describe('mergeOverTemplate', () => {
  it('replaces scalars and arrays, merges assessment key by key, folds the grade shortcut, never mutates inputs', () => {
    const spec = structuredClone(courseSpec);
    const fields = { learner: { givenName: 'A', familyName: 'B' }, grade: 'Pass', eqfLevel: 6, learningOutcomes: [{ text: 'Other' }], assessment: { supervision: 'supervised-with-id' } };
    const frozen = structuredClone(fields);
    const merged = mergeOverTemplate(spec, fields);
    expect(merged).toMatchObject({ eqfLevel: 6, learningOutcomes: [{ text: 'Other' }], assessment: { type: 'written-examination', supervision: 'supervised-with-id', grade: 'Pass' }, title: courseSpec.title });
    expect(merged).not.toHaveProperty('grade');
    expect(spec).toEqual(courseSpec);
    expect(fields).toEqual(frozen);
  });
});

describe('CSV rows', () => {
  it('maps columns to request fields; bare dates become midnight UTC; empty cells are absent', () => {
    expect(csvRecordToFields({ given_name: 'Ana', family_name: 'A', email: '', date_of_birth: '2000-01-02', grade: 'B+', national_id: 'X1', national_id_country: 'IT', awarded_date: '2024-05-01', learner_did: 'did:key:z6Mk' })).toEqual({
      learner: { givenName: 'Ana', familyName: 'A', dateOfBirth: '2000-01-02', id: 'did:key:z6Mk', nationalId: { value: 'X1', country: 'IT' } },
      assessment: { grade: 'B+' },
      awardedDate: '2024-05-01T00:00:00Z',
    });
  });

  const headers: [string[], string][] = [
    [['given_name', 'family_name', 'hat'], 'Unknown CSV column'],
    [['given_name', 'family_name', 'given_name'], 'Repeated CSV column'],
    [['family_name'], 'Missing required CSV column'],
  ];
  for (const [h, msg] of headers) {
    it(`refuses header ${h.join(',')} with CSV_INVALID`, () => {
      expect(() => checkCsvHeader(h)).toThrow(expect.objectContaining({ code: 'CSV_INVALID', message: expect.stringContaining(msg) }));
    });
  }
  it('accepts every documented column, case-insensitively', () => {
    expect(checkCsvHeader(CSV_COLUMNS.map((c) => c.toUpperCase()))).toEqual([...CSV_COLUMNS]);
  });
});
