/** Shared inputs for the micro-credential API tests. */

/** A course template spec: every Annex I element but the learner. */
export const courseSpec = {
  title: 'Data literacy basics',
  description: 'Reading and presenting data.',
  learningOutcomes: [{ text: 'Interpret descriptive statistics of a data set.' }],
  workload: { ects: 2, hours: 50 },
  eqfLevel: 5,
  thematicArea: ['0688'],
  assessment: { type: 'written-examination' },
  participation: { mode: 'online', learningSetting: 'formal' },
  qualityAssurance: { type: 'institutional-qa' },
  prerequisites: 'None.',
  stackability: { standalone: true },
};

/** A complete request (course + learner). */
export const fullRequest = { ...courseSpec, learner: { givenName: 'Ana', familyName: 'Andromeda', studentId: 'S-1' } };

/** A CSV of n learners (row_key k1..kn); `bad` maps row numbers to a bad cell override. */
export function csvOf(n: number, bad: Record<number, Partial<Record<'grade' | 'date_of_birth' | 'supervision', string>>> = {}): string {
  const lines = ['row_key,given_name,family_name,email,date_of_birth,grade,supervision,awarded_date'];
  for (let i = 1; i <= n; i++) {
    const b = bad[i] ?? {};
    lines.push([`k${i}`, `Given${i}`, `Family${i}`, `l${i}@example.org`, b.date_of_birth ?? '2000-01-02', b.grade ?? 'Pass', b.supervision ?? '', '2024-05-01'].join(','));
  }
  return `${lines.join('\n')}\n`;
}
