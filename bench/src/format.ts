/** Formats a duration in milliseconds for the table: ms below 10 s, seconds above. */
export function formatMs(ms: number): string {
  return ms < 10_000 ? `${ms.toFixed(ms < 100 ? 1 : 0)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** Formats a rate with thousands separators and no fraction. */
export function formatRate(perSecond: number): string {
  return `${Math.round(perSecond).toLocaleString('en-US')} req/s`;
}
