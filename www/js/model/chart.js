// The "tickets per hour" chart of the day's figures, as numbers: which hours to show, the bars
// (one stacked segment per department) and the scale. The view (views/figures.js) only draws
// it, as SVG built with DOM methods. No DOM here.

/** The fewest hours the chart shows. */
export const MIN_HOURS = 8;

/**
 * @param series   per department: `{ id, colour, perHour }` (perHour: 24 counts since midnight,
 *                 day-figures.js)
 * @param nowHour  the hour of the day now (0..23), so the chart runs up to now even when the
 *                 last hours were quiet; null for a day that is over
 * @returns null when no ticket was taken, else `{ hours, bars, max, ticks }`: `bars[i]` is
 *          `{ hour, total, segments: [{ id, colour, count, from, to }] }` with from/to the
 *          segment's bottom and top in tickets; `max` the scale's top; `ticks` its marks.
 */
export function hourlyChart(series, nowHour = null) {
  const totals = Array.from({ length: 24 }, (_, hour) => series.reduce((sum, s) => sum + s.perHour[hour], 0));
  const busy = totals.flatMap((total, hour) => (total > 0 ? [hour] : []));
  if (busy.length === 0) return null;
  let first = busy[0];
  let last = Math.max(busy.at(-1), nowHour ?? 0);
  // At least MIN_HOURS bars, so that an early morning's one busy hour is not one wall-wide bar:
  // the hours still to come first (the day's chart fills in), then the ones before.
  last = Math.min(23, Math.max(last, first + MIN_HOURS - 1));
  first = Math.max(0, Math.min(first, last - MIN_HOURS + 1));
  const hours = Array.from({ length: last - first + 1 }, (_, i) => first + i);
  const bars = hours.map((hour) => {
    let from = 0;
    const segments = [];
    for (const { id, colour, perHour } of series) {
      const count = perHour[hour];
      if (count === 0) continue;
      segments.push({ id, colour, count, from, to: from + count });
      from += count;
    }
    return { hour, total: totals[hour], segments };
  });
  const step = niceStep(Math.max(...totals));
  const max = Math.ceil(Math.max(...totals) / step) * step;
  const ticks = Array.from({ length: max / step + 1 }, (_, i) => i * step);
  return { hours, bars, max, ticks };
}

/** A step of 1, 2 or 5 times a power of ten that marks `top` with at most 5 steps. */
export function niceStep(top) {
  for (let power = 1; ; power *= 10) {
    for (const base of [1, 2, 5]) {
      if (top / (base * power) <= 5) return base * power;
    }
  }
}

/** The busiest hour: `{ hour, total }`, the earliest of equals, or null on a day without tickets. */
export function busiestHour(series) {
  let best = null;
  for (let hour = 0; hour < 24; hour++) {
    const total = series.reduce((sum, s) => sum + s.perHour[hour], 0);
    if (total > 0 && (best === null || total > best.total)) best = { hour, total };
  }
  return best;
}
