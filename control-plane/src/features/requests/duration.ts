/** Durations as requesters and flows write them: `90` (seconds), `"90s"`, `"30m"`, `"1h"`, `"1d"`, `"1w"`. */

const unitSeconds: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/** Seconds in a duration value, or undefined when it is not one (zero and negatives are not durations). */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value > 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const match = /^\s*(\d+)\s*([smhdw]?)\s*$/i.exec(value);
  if (!match) return undefined;
  const seconds = Number(match[1]) * unitSeconds[(match[2] || 's').toLowerCase()]!;
  return seconds > 0 && Number.isSafeInteger(seconds) ? seconds : undefined;
}
