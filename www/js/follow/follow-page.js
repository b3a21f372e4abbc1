// The follow page (follow.html), the one a customer's phone opens from the QR code: it reads the
// ticket from the address, the facility from config.json, its words from i18n/, then follows
// the department's public summary on the hub (queue-feed.js) and alerts as alerts.js decides.
// The rules are in DOM-free modules (address.js, ticket-status.js, alerts.js); this file wires
// them to the page, and nothing it does may leave the customer with a blank screen.
import { parseFollow } from './address.js';
import { followConfigOf } from './follow-config.js';
import { ticketStatus, isEnding } from './ticket-status.js';
import { alertsFor, alertState } from './alerts.js';
import { QueueFeed } from './queue-feed.js';
import { Signals } from './signals.js';
import { FollowView } from './follow-view.js';
import { read } from '../model/config-reading.js';
import '../model/config-groups.js'; // read() reads the departments' queue rules with it
import { Translator, isLanguage, loadMessages } from '../language/messages.js';
import { FALLBACK, loadLanguages } from '../language/page-language.js';

/** How often the estimate is worked out again while no summary comes: it shrinks as time passes. */
const TICK_MS = 15_000;
const view = new FollowView(document);

start().catch((error) => {
  console.error(error);
  view.problem(error.message);
});

async function start() {
  const { ticket, problem } = parseFollow(location.hash);
  const raw = await loadRawConfig();
  const { config, problems } = read(raw);
  const language = pickLanguage(ticket?.language, config);
  const t = await translator(language);
  const facility = textIn(config?.facilityNames ?? {}, language, config?.language);
  view.language(t, t.t('follow.title', { facility: facility ?? '' }));
  if (problem) return view.problem(t.t(problem.key, problem.params));
  if (problems.length > 0) return view.problem(t.t('follow.broken', { detail: t.t(problems[0].key, problems[0].params) }));
  const follow = followConfigOf(raw);
  if (follow.problems.length > 0) {
    const [first] = follow.problems;
    return view.problem(t.t('follow.broken', { detail: t.t(first.key, first.params) }));
  }
  if (follow.config === null) return view.problem(t.t('follow.not-offered'));
  const dept = config.departments.find((d) => d.id === ticket.department);
  if (!dept) return view.problem(t.t('follow.no-department', { department: ticket.department }));
  follow.config.department = textIn(dept.names, language, config.language);
  view.ticket({ facility, department: follow.config.department, colour: dept.colour, number: ticket.number });
  follow.config.title = t.t('follow.title', { facility });
  return followTicket(ticket, follow.config, t);
}

/** config.json as it is (the `follow` object is read here, the rest by config-reading.js). */
async function loadRawConfig() {
  let response;
  try {
    response = await fetch(new URL('config.json', document.baseURI), { cache: 'no-cache' });
  } catch (error) {
    throw new Error(`config.json could not be fetched (${error.message})`);
  }
  if (!response.ok) throw new Error(`config.json could not be fetched (HTTP ${response.status})`);
  try {
    return await response.json();
  } catch {
    throw new Error('config.json is not valid JSON');
  }
}

/** The language the customer picked at the kiosk, when the facility offers it; else its own. */
function pickLanguage(asked, config) {
  const offered = Array.isArray(config?.languages) ? config.languages : [];
  if (asked && offered.includes(asked)) return asked;
  return isLanguage(config?.language) ? config.language : FALLBACK;
}

async function translator(language) {
  const texts = new URL('i18n/', document.baseURI);
  const messages = await loadLanguages([language], (code) => loadMessages(code, texts));
  return new Translator({ language, messages: messages.get(language), fallback: messages.get(FALLBACK) });
}

const textIn = (names, language, fallback) => names[language] ?? names[fallback] ?? Object.values(names)[0];

function followTicket(ticket, follow, t) {
  const words = (key, params) => t.t(key, params);
  const storageKey = `take-a-number-deluxe/follow/${ticket.department}/${ticket.number}/${ticket.taken}`;
  let alerts = alertState(stored(storageKey));
  let summary = null;
  let ended = false;
  const signals = new Signals(window);
  const alertsShown = { on: false, notifications: false };
  view.alerts(alertsShown, words, follow.alertAhead);
  view.onAlertsButton(async () => {
    Object.assign(alertsShown, { on: true, ...await signals.turnOn() });
    view.alerts(alertsShown, words, follow.alertAhead);
  });

  const render = () => {
    const current = ticketStatus(summary, ticket, Date.now(), { seenCalled: alerts.called });
    view.status(current, { t: words, department: follow.department });
    return current;
  };
  const feed = new QueueFeed({
    servers: follow.urls, user: follow.user, pass: follow.pass, department: ticket.department,
    onSummary(next) {
      summary = next;
      const current = render();
      const decided = alertsFor(alerts, current, follow.alertAhead);
      alerts = decided.state;
      store(storageKey, alerts);
      for (const alert of decided.alerts) signals.alert(alert.kind, notification(alert, ticket, follow, words));
      if (isEnding(current.status)) {
        // Nothing more will happen to this ticket: the hub's connection goes to someone else.
        ended = true;
        feed.close();
        view.connection('ended', words);
      }
    },
    onStatus(status) {
      if (!ended) view.connection(status, words);
    },
  });
  render();
  feed.start();
  setInterval(() => {
    if (!ended) render();
  }, TICK_MS);
  // A phone that slept may have missed summaries, and may hold a connection that died quietly.
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && !ended) feed.refresh();
  });
}

/** A notification's words for an alert. */
function notification(alert, ticket, follow, t) {
  const tag = `follow-${ticket.department}-${ticket.number}`;
  const lang = document.documentElement.lang;
  if (alert.kind === 'called') {
    const body = alert.counter === null ? t('follow.called-here', { department: follow.department })
      : t('follow.called', { counter: alert.counter });
    return { title: t('follow.alert-called-title', { number: ticket.number }), body, tag, lang };
  }
  const body = alert.ahead === 0 ? t('follow.alert-next', { department: follow.department })
    : t('follow.alert-near', { count: alert.ahead, department: follow.department });
  return { title: t('follow.alert-near-title', { number: ticket.number }), body, tag, lang };
}

/** What the phone kept for a key, or null (storage may be missing or refused: private mode). */
function stored(key) {
  try {
    return JSON.parse(localStorage.getItem(key));
  } catch {
    return null;
  }
}

function store(key, value) {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // alerts may then repeat after a reload: better than none
  }
}
