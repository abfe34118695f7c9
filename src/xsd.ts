// XSD dateTime with a mandatory time zone (VC 2.0 §4.9 requires one; 1.1 credentials are held to
// it too). Years of four or more digits, as XSD allows; seconds 60 parse here and are refused below.
const DATE_TIME = /^-?([0-9]{4,})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?(Z|[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00))$/;

/**
 * True for an XSD dateTime with a time zone that names a real instant: a day that exists in its
 * month (no 30 February, which Date.parse silently moves to March) and no leap second (which
 * Date.parse cannot place). Issuance and verification share it, so what one signs the other reads.
 */
export function isXsdDateTime(v: unknown): v is string {
  if (typeof v !== 'string') return false;
  const m = DATE_TIME.exec(v);
  if (!m || Number.isNaN(Date.parse(v))) return false;
  const year = Number(m[1]) * (v.startsWith('-') ? -1 : 1);
  const daysInMonth = new Date(Date.UTC(2000, Number(m[2]), 0)).getUTCDate() - (m[2] === '02' && !isLeapYear(year) ? 1 : 0);
  return Number(m[3]) <= daysInMonth;
}

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}
