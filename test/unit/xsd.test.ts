import { describe, expect, it } from 'vitest';
import { isXsdDateTime } from '../../src/xsd.js';

describe('isXsdDateTime', () => {
  it('accepts dateTimes with a zone that name a real instant', () => {
    for (const v of ['2025-01-01T00:00:00Z', '2032-02-29T12:00:00+01:00', '2000-02-29T00:00:00Z', '2025-12-31T23:59:59.999-14:00']) {
      expect(isXsdDateTime(v), v).toBe(true);
    }
  });

  it('refuses days a month lacks, leap seconds, missing zones and other shapes', () => {
    for (const v of ['2030-02-30T00:00:00Z', '2031-02-29T00:00:00Z', '1900-02-29T00:00:00Z', '2030-04-31T00:00:00Z', '2030-12-31T23:59:60Z', '2030-01-01T24:00:00Z', '2030-01-01T00:00:00', '2030-01-01', 20300101, null]) {
      expect(isXsdDateTime(v), String(v)).toBe(false);
    }
  });
});
