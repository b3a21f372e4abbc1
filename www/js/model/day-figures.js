// The day's figures for staff, from the departments' records (ticket-record.js): what was issued,
// served and missed, how long people waited and staff took, the busiest hours; and the CSV of
// the day's tickets. No DOM, and no clock but the one passed in.
import { NUMBER, TAKEN, CALLED, COUNTER, OUTCOME } from './ticket-record.js';

const HOUR = 3600_000;

/** The figures of one department's day (`record.day`), or of several days added up. */
export function figures(days) {
  const tickets = days.flatMap((day) => day.tickets.map((t) => ({ t, start: day.start })));
  const taken = tickets.filter(({ t }) => t[TAKEN] !== null);
  const waits = taken.filter(({ t }) => t[CALLED] !== null).map(({ t }) => t[CALLED] - t[TAKEN]);
  const perHour = new Array(24).fill(0);
  for (const { t, start } of taken) {
    const hour = Math.floor((t[TAKEN] - start) / HOUR);
    if (hour >= 0 && hour < 24) perHour[hour] += 1;
  }
  const service = days.flatMap(serviceTimes);
  return {
    issued: taken.length,
    served: tickets.filter(({ t }) => t[OUTCOME] === 'served').length,
    noShows: days.reduce((sum, day) => sum + day.noShows, 0),
    resets: days.reduce((sum, day) => sum + day.resets, 0),
    waiting: tickets.filter(({ t }) => t[OUTCOME] === 'waiting').length,
    averageWait: average(waits),
    p90Wait: percentile(waits, 0.9),
    averageService: average(service),
    longestQueue: Math.max(0, ...days.map((day) => day.longestQueue)),
    perHour,
  };
}

/**
 * Service times: from a call at a counter to the next call at the same counter (the member of
 * staff has moved on). The last call at each counter has no end yet and does not count.
 */
function serviceTimes(day) {
  const byCounter = new Map();
  for (const t of day.tickets) {
    if (t[CALLED] === null) continue;
    const calls = byCounter.get(t[COUNTER]) ?? [];
    calls.push(t[CALLED]);
    byCounter.set(t[COUNTER], calls);
  }
  const times = [];
  for (const calls of byCounter.values()) {
    calls.sort((a, b) => a - b);
    for (let i = 1; i < calls.length; i++) times.push(calls[i] - calls[i - 1]);
  }
  return times;
}

const average = (values) => (values.length === 0 ? null : values.reduce((sum, v) => sum + v, 0) / values.length);

/** The nearest-rank percentile `p` (0..1) of `values`, or null when there are none. */
export function percentile(values, p) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
}

/**
 * The day's tickets as CSV (RFC 4180), one row per ticket: number, department, taken,
 * called, counter, outcome. Times are local to the facility (`timeZone`), as
 * "YYYY-MM-DD HH:MM:SS"; a time not known is empty.
 */
export function ticketsCsv(departments, timeZone) {
  const format = new Intl.DateTimeFormat('en-CA', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit',
  });
  const time = (ms) => {
    if (ms === null) return '';
    const parts = Object.fromEntries(format.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
    return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
  };
  const rows = [['number', 'department', 'taken', 'called', 'counter', 'outcome']];
  for (const { name, day } of departments) {
    const ordered = [...day.tickets].sort((a, b) => (a[TAKEN] ?? a[CALLED]) - (b[TAKEN] ?? b[CALLED]));
    for (const t of ordered) {
      rows.push([String(t[NUMBER]), name, time(t[TAKEN]), time(t[CALLED]), t[COUNTER] ?? '', t[OUTCOME]]);
    }
  }
  return `${rows.map((row) => row.map(csvField).join(',')).join('\r\n')}\r\n`;
}

/** A CSV field, quoted when it must be; text starting with =, +, - or @ is defused for spreadsheets. */
function csvField(value) {
  const text = /^[=+\-@]/.test(value) && !/^-?\d+$/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
