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
  it('a header of thousands of columns: each bad name listed once, and the message stays short', () => {
    const many = ['given_name', 'family_name', ...Array.from({ length: 50_000 }, (_, i) => `x${i % 30}`)];
    expect(() => checkCsvHeader(many)).toThrow(expect.objectContaining({ code: 'CSV_INVALID', message: 'Unknown CSV column(s): x0, x1, x2, x3, x4, x5, x6, x7, x8, x9, x10, x11, x12, x13, x14, x15, x16, x17, x18, x19 and 10 more.' }));
    const repeated = ['given_name', 'family_name', ...Array.from({ length: 50_000 }, () => 'email')];
    expect(() => checkCsvHeader(repeated)).toThrow(expect.objectContaining({ code: 'CSV_INVALID', message: 'Repeated CSV column(s): email.' }));
  });
  it('accepts every documented column, case-insensitively', () => {
    expect(checkCsvHeader(CSV_COLUMNS.map((c) => c.toUpperCase()))).toEqual([...CSV_COLUMNS]);
  });
});
