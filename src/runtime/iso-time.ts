// Wall-clock milliseconds as ISO 8601 UTC text (2026-12-06T20:43:09.473Z), what
// Date.prototype.toISOString() prints, computed with integer arithmetic. Why not toISOString: in
// node 20 its first call initialises V8's time-zone cache from ICU, which pages ~0.6 MiB of ICU
// data out of node's binary into the daemon's resident memory for a UTC stamp that needs none of
// it (issue 15; every log line and status answer has such a stamp).

const DAY_MS = 86_400_000;

const pad = (value: number, width: number): string => String(value).padStart(width, '0');

export function isoTime(ms: number): string {
  const whole = Math.trunc(ms); // as Date does (TimeClip)
  const days = Math.floor(whole / DAY_MS);
  // The proleptic Gregorian date of a day count from 1970-01-01 (eras of 400 years, March-based
  // years so the leap day falls last).
  const shifted = days + 719_468;
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  // Outside four-digit years (and for NaN) toISOString's own form and errors apply.
  if (!(year >= 0 && year <= 9999)) return new Date(ms).toISOString();
  const inDay = whole - days * DAY_MS;
  return (
    `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(Math.floor(inDay / 3_600_000), 2)}:` +
    `${pad(Math.floor(inDay / 60_000) % 60, 2)}:${pad(Math.floor(inDay / 1000) % 60, 2)}.${pad(inDay % 1000, 3)}Z`
  );
}
