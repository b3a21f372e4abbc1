// The day's figures for staff, from the departments' records (ticket-record.js): what was issued,
// served and missed, how long people waited and staff took, the busiest hours, per group,
// transfers in and out and time parked; and the CSV of the day's tickets. No DOM, and no clock
// but the one passed in.
import { NUMBER, TAKEN, CALLED, COUNTER, OUTCOME, GROUP, PARKED, FROM, TO, field } from './ticket-record.js';

const HOUR = 3600_000;

/**
 * The figures of one department's day (`record.day`), or of several days added up. `issued` and
 * `perHour` count the tickets taken here; a ticket transferred in counts in `transfersIn`, and
 * its wait runs from when it was first taken, in the other department. `groups`: per group (a
 * ticket's group, null for one taken without), `{ issued, served, noShows, waiting, averageWait }`.
 * `parkedTime`: the ms tickets spent parked and called back (or ended while parked); `parkedNow`:
 * the tickets parked now.
 */
export function figures(days) {
  const tickets = days.flatMap((day) => day.tickets.map((t) => ({ t, start: day.start })));
  const taken = tickets.filter(({ t }) => t[TAKEN] !== null && field(t, FROM) === null);
  const waits = tickets.filter(({ t }) => t[TAKEN] !== null && t[CALLED] !== null).map(({ t }) => t[CALLED] - t[TAKEN]);
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
    transfersIn: tickets.filter(({ t }) => field(t, FROM) !== null).length,
    transfersOut: tickets.filter(({ t }) => t[OUTCOME] === 'transferred').length,
    parkedTime: tickets.reduce((sum, { t }) => sum + field(t, PARKED), 0),
    parkedNow: tickets.filter(({ t }) => t[OUTCOME] === 'parked').length,
    groups: perGroup(tickets.map(({ t }) => t)),
  };
}

/** The figures of each group of `tickets`, by group name (null: taken without a group), in first-seen order. */
function perGroup(tickets) {
  const groups = new Map();
  for (const t of tickets) {
    const group = field(t, GROUP);
    if (!groups.has(group)) groups.set(group, { issued: 0, served: 0, noShows: 0, waiting: 0, waits: [] });
    const g = groups.get(group);
    if (t[TAKEN] !== null && field(t, FROM) === null) g.issued += 1;
    if (t[OUTCOME] === 'served') g.served += 1;
    if (t[OUTCOME] === 'no-show') g.noShows += 1;
    if (t[OUTCOME] === 'waiting') g.waiting += 1;
    if (t[TAKEN] !== null && t[CALLED] !== null) g.waits.push(t[CALLED] - t[TAKEN]);
  }
  return new Map([...groups].map(([group, { waits, ...counts }]) => [group, { ...counts, averageWait: average(waits) }]));
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
 * called, counter, outcome, group, parked (whole seconds parked), from and to (the department a
 * ticket was transferred in from, or out to). Times are local to the facility (`timeZone`), as
 * "YYYY-MM-DD HH:MM:SS"; a time not known is empty, as is a group, a department of none.
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
  const rows = [['number', 'department', 'taken', 'called', 'counter', 'outcome', 'group', 'parked', 'from', 'to']];
  for (const { name, day } of departments) {
    const ordered = [...day.tickets].sort((a, b) => (a[TAKEN] ?? a[CALLED]) - (b[TAKEN] ?? b[CALLED]));
    for (const t of ordered) {
      rows.push([String(t[NUMBER]), name, time(t[TAKEN]), time(t[CALLED]), t[COUNTER] ?? '', t[OUTCOME],
        field(t, GROUP) ?? '', String(Math.round(field(t, PARKED) / 1000)), field(t, FROM) ?? '', field(t, TO) ?? '']);
    }
  }
  return `${rows.map((row) => row.map(csvField).join(',')).join('\r\n')}\r\n`;
}

/** A CSV field, quoted when it must be; text starting with =, +, - or @ is defused for spreadsheets. */
function csvField(value) {
  const text = /^[=+\-@]/.test(value) && !/^-?\d+$/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
