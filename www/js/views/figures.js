// The day's figures, for staff (inside the unlocked console, at #figures): per department and
// in total since the facility's midnight, a chart of tickets per hour, and the day's tickets as
// a CSV download. The numbers come from day-figures.js and chart.js; this module only shows them.
// The chart is SVG built with DOM methods, its colours as presentation attributes: nothing
// needs 'unsafe-inline' under the page's Content-Security-Policy.
import { figures, ticketsCsv } from '../model/day-figures.js';
import { dayAsOf } from '../model/ticket-record.js';
import { groupName } from '../model/group-names.js';
import { hourlyChart, busiestHour } from '../model/chart.js';
import { el, setText, boundTexts } from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';
const HOUR = 3600_000;

/** The table's rows: a label key and how to show the figure. */
const ROWS = [
  ['figures.issued', (f) => f.issued],
  ['figures.served', (f) => f.served],
  ['figures.no-shows', (f) => f.noShows],
  ['figures.resets', (f) => f.resets],
  ['figures.waiting', (f) => f.waiting],
  ['figures.average-wait', (f, i18n) => i18n.minutes(f.averageWait)],
  ['figures.p90-wait', (f, i18n) => i18n.minutes(f.p90Wait)],
  ['figures.average-service', (f, i18n) => i18n.minutes(f.averageService)],
  ['figures.longest-queue', (f) => f.longestQueue],
  ['figures.transfers-in', (f) => f.transfersIn],
  ['figures.transfers-out', (f) => f.transfersOut],
  ['figures.parked-now', (f) => f.parkedNow],
  ['figures.parked-time', (f, i18n) => i18n.minutes(f.parkedTime)],
];

/**
 * The rows per group, for the groups the departments have (config.groups, by id, in the order
 * first met): served and average wait of each, in the group's words. None when no department has
 * groups.
 */
function groupRows(departments, i18n) {
  const groups = new Map();
  for (const dept of departments) {
    for (const group of dept.config.groups ?? []) if (!groups.has(group.id)) groups.set(group.id, group);
  }
  return [...groups.values()].flatMap((group) => {
    const name = groupName({ groups: [group] }, group.id, (names) => i18n.text(names));
    const of = (f) => f.groups.get(group.id);
    return [
      [i18n.t('figures.group-served', { group: name }), (f) => of(f)?.served ?? 0],
      [i18n.t('figures.group-wait', { group: name }), (f) => i18n.minutes(of(f)?.averageWait ?? null)],
    ];
  });
}

// The chart's drawing area, in SVG units (it scales to the page's width).
const WIDTH = 720;
const HEIGHT = 280;
const LEFT = 44;
const BOTTOM = 34;
const TOP = 12;

function svg(doc, tag, attrs = {}, children = []) {
  const node = doc.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  node.append(...children);
  return node;
}

/**
 * @param root         the #figures section
 * @param facility     the Facility (departments.js): the figures follow its departments' changes
 *                     while shown, and its settings (the departments, the time zone)
 * @param isShown      () => whether the figures are on screen
 * Returns { render() }; call it when they come on screen.
 */
export function mountFigures({ root, facility, i18n, isShown, now = Date.now }) {
  const doc = root.ownerDocument;
  const texts = boundTexts(i18n);
  const title = texts.text(el('h3', { attrs: { id: 'figures-title' } }), 'figures.title');
  const since = el('p', { className: 'figures-since', attrs: { id: 'figures-since' } });
  const download = texts.text(el('button', { attrs: { type: 'button', id: 'download-csv' } }), 'figures.download');
  const table = el('table', { className: 'figures-table', attrs: { id: 'figures-table' } });
  const chartTitle = texts.text(el('figcaption', { attrs: { id: 'chart-title' } }), 'figures.chart-title');
  const chartSummary = el('p', { className: 'chart-summary', attrs: { id: 'chart-summary' } });
  const chartBox = el('div', { className: 'chart-box' });
  const legend = el('ul', { className: 'chart-legend' });
  texts.attr(legend, 'aria-label', 'figures.legend');
  root.replaceChildren(
    el('div', { className: 'figures-head' }, [title, download]),
    since,
    // A region that can take focus, so that a table wider than a portrait screen can be
    // scrolled from the keyboard.
    el('div', { className: 'table-wrap', attrs: { role: 'region', tabindex: '0', 'aria-labelledby': 'figures-title' } }, [table]),
    el('figure', { className: 'chart' }, [chartTitle, chartBox, chartSummary, legend]),
  );
  root.setAttribute('aria-labelledby', title.id);

  /** Every department's day as of now (a day nobody touched since midnight starts at 0). */
  const days = (at) => facility.departments.map((dept) => ({ dept, day: dayAsOf(dept.record().day, at, facility.config.timeZone) }));

  download.addEventListener('click', () => downloadCsv(days, { root, timeZone: facility.config.timeZone, at: now() }));

  function render() {
    if (!isShown()) return;
    const { timeZone } = facility.config;
    const at = now();
    const all = days(at);
    const start = all[0].day.start;
    setText(since, i18n.t('figures.since', { date: i18n.date(start || at, timeZone), time: i18n.time(at, timeZone) }));
    renderTable(all);
    renderChart({ all, start, at, parts: { legend, chartBox, chartSummary }, i18n, timeZone });
  }

  function renderTable(all) {
    const columns = [
      ...all.map(({ dept, day }) => ({ name: i18n.text(dept.config.names), f: figures([day]) })),
      { name: i18n.t('figures.total'), f: figures(all.map(({ day }) => day)), total: true },
    ];
    table.replaceChildren(
      el('caption', { className: 'visually-hidden', text: i18n.t('figures.title') }),
      el('thead', {}, [el('tr', {}, [
        el('th', { text: i18n.t('figures.figure'), attrs: { scope: 'col' } }),
        ...columns.map(({ name, total }) => el('th', { text: name, className: total ? 'total' : '', attrs: { scope: 'col' } })),
      ])]),
      el('tbody', {}, [...ROWS.map(([key, value]) => [i18n.t(key), value]), ...groupRows(all.map(({ dept }) => dept), i18n)].map(([label, value]) => el('tr', {}, [
        el('th', { text: label, attrs: { scope: 'row' } }),
        ...columns.map(({ f, total }) => el('td', { text: String(value(f, i18n)), className: total ? 'total' : '' })),
      ]))),
    );
  }

  i18n.subscribe(() => {
    texts.apply();
    render();
  });
  facility.watch(render);
  doc.defaultView.setInterval(render, 60_000);
  return { render };
}

/** The chart of tickets per hour since `start`, its legend and its summary, drawn into `parts`. */
function renderChart({ all, start, at, parts: { legend, chartBox, chartSummary }, i18n, timeZone }) {
  const doc = chartBox.ownerDocument;
  const series = all.map(({ dept, day }) => ({
    id: dept.config.id, name: i18n.text(dept.config.names), colour: dept.config.colour, perHour: figures([day]).perHour,
  }));
  const nowHour = start > 0 ? Math.min(23, Math.floor((at - start) / HOUR)) : null;
  const chart = hourlyChart(series, nowHour);
  const hourLabel = (hour) => i18n.time(start + hour * HOUR, timeZone);
  const axisLabel = (hour) => i18n.hour(start + hour * HOUR, timeZone);
  legend.replaceChildren(...series.map(({ name, colour }) => {
    const swatch = svg(doc, 'svg', { width: 18, height: 18, viewBox: '0 0 18 18', 'aria-hidden': 'true', focusable: 'false' },
      [svg(doc, 'rect', { width: 18, height: 18, rx: 3, fill: colour })]);
    return el('li', {}, [swatch, el('span', { text: name })]);
  }));
  if (chart === null) {
    chartBox.replaceChildren(el('p', { className: 'chart-empty', text: i18n.t('figures.no-tickets') }));
    setText(chartSummary, '');
    return;
  }
  const busiest = busiestHour(series);
  setText(chartSummary, i18n.t('figures.busiest', {
    from: hourLabel(busiest.hour), to: hourLabel(busiest.hour + 1), count: busiest.total,
  }));

  const plotWidth = WIDTH - LEFT;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const slot = plotWidth / chart.hours.length;
  const barWidth = Math.max(2, Math.min(slot * 0.7, 48));
  const y = (value) => TOP + plotHeight - (value / chart.max) * plotHeight;
  const labelEvery = chart.hours.length > 12 ? 2 : 1;

  const grid = chart.ticks.map((tick) => svg(doc, 'g', {}, [
    svg(doc, 'line', { x1: LEFT, x2: WIDTH, y1: y(tick), y2: y(tick), stroke: '#cbd5e1', 'stroke-width': 1 }),
    svg(doc, 'text', { x: LEFT - 8, y: y(tick) + 5, 'text-anchor': 'end', 'font-size': 14, fill: '#374151' }, [String(tick)]),
  ]));
  const bars = chart.bars.map((bar, i) => {
    const x = LEFT + i * slot + (slot - barWidth) / 2;
    const parts = bar.segments.map((s) => svg(doc, 'rect', {
      x, y: y(s.to), width: barWidth, height: Math.max(0, y(s.from) - y(s.to)), fill: s.colour, 'data-department': s.id,
    }));
    const label = i % labelEvery === 0
      ? [svg(doc, 'text', { x: x + barWidth / 2, y: HEIGHT - BOTTOM + 20, 'text-anchor': 'middle', 'font-size': 13, fill: '#374151' }, [axisLabel(bar.hour)])]
      : [];
    const tip = svg(doc, 'title', {}, [i18n.t('figures.bar', { from: hourLabel(bar.hour), to: hourLabel(bar.hour + 1), count: bar.total })]);
    return svg(doc, 'g', { class: 'chart-bar', 'data-hour': bar.hour, 'data-total': bar.total }, [tip, ...parts, ...label]);
  });
  const axis = svg(doc, 'line', { x1: LEFT, x2: WIDTH, y1: y(0), y2: y(0), stroke: '#111827', 'stroke-width': 2 });
  chartBox.replaceChildren(svg(doc, 'svg', {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-labelledby': 'chart-title chart-summary', class: 'chart-svg',
  }, [...grid, ...bars, axis]));
}

/** Hands the day's tickets (`days(at)`) to the browser as a CSV file, through a link in `root`. */
function downloadCsv(days, { root, timeZone, at }) {
  const csv = ticketsCsv(days(at).map(({ dept, day }) => ({ name: dept.config.name, day })), timeZone);
  // A byte-order mark first: spreadsheet programs then read the file as UTF-8 (accents in
  // department names), as RFC 4180 readers ignore it.
  const url = URL.createObjectURL(new Blob(['\uFEFF', csv], { type: 'text/csv;charset=utf-8' }));
  const link = el('a', { attrs: { href: url, download: `tickets-${isoDate(at, timeZone)}.csv` } });
  link.hidden = true;
  root.append(link);
  link.click();
  link.remove();
  // Revoked later, not at once: the browser reads the file after the click returns.
  root.ownerDocument.defaultView.setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** "2026-11-24": the facility's date at `at`, for the file name. */
function isoDate(at, timeZone) {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(at));
}
