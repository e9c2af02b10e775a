/**
 * ISO 8601 durations as xAPI `result.duration` carries them (`PT4H35M20.00S`, `P1DT2H`, `P2W`).
 * Years and months are refused: they have no fixed length in seconds. A fraction may be given on
 * any part, with `.` or `,` (ISO 8601 allows both).
 */
const NUMBER = String.raw`(\d+(?:[.,]\d+)?)`;
const DURATION = new RegExp(`^P(?:${NUMBER}W)?(?:${NUMBER}D)?(?:T(?:${NUMBER}H)?(?:${NUMBER}M)?(?:${NUMBER}S)?)?$`);
/** Seconds per unit, in the order of the pattern's groups: weeks, days, hours, minutes, seconds. */
const SECONDS_PER = [7 * 86400, 86400, 3600, 60, 1] as const;

/** Seconds in an ISO 8601 duration, or null when it is not one this parser accepts. */
export function parseIsoDuration(text: string): number | null {
  // The pattern also matches `P` alone and a dangling `T` (`P1DT`), which ISO 8601 does not allow.
  if (text === 'P' || text.endsWith('T')) return null;
  const match = DURATION.exec(text);
  if (!match) return null;
  return SECONDS_PER.reduce(
    (sum, factor, i) => sum + (match[i + 1] === undefined ? 0 : Number(match[i + 1].replace(',', '.')) * factor),
    0,
  );
}
