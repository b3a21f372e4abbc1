// The kiosk page: one shared machine per department (every window of the browser uses the
// same one), three views (customer, board, staff), all rendered with DOM methods and
// textContent (never innerHTML), so config text cannot inject markup and the
// Content-Security-Policy needs no 'unsafe-inline'.
import init from '../pkg/take_a_number_deluxe.js';
import { SharedMachine } from '../pkg/shared.js';
import { loadConfig, textColourOn } from './config.js';
import { Department } from './department.js';
import { kioskRecord } from './record.js';
import { legacySeed } from './storage.js';
import { StaffAccess } from './staff-access.js';
import { IdbRecords } from './records.js';
import { mountStaffLock, RESET_HASH } from './views/staff-lock.js';
import { Announcer } from './sound.js';
import { keepUpToDate } from './updates.js';

const $ = (id) => document.getElementById(id);
const updates = keepUpToDate(); // first, so that even a build that cannot start gets replaced

function el(tag, { className, text, attrs = {} } = {}, children = []) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

/** Gives `node` a department's colour, and black or white text, whichever reads better on it.
 * CSSOM custom properties, not a style attribute: allowed by the CSP. */
function paint(node, colour) {
  node.style.setProperty('--dept-colour', colour);
  node.style.setProperty('--dept-text', textColourOn(colour));
}

const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

function fatal(message) {
  $('loading').hidden = true;
  for (const view of document.querySelectorAll('.view')) view.hidden = true;
  $('fatal-text').textContent = message;
  $('fatal').hidden = false;
}

async function start() {
  let config;
  try {
    config = await loadConfig();
    await init();
  } catch (error) {
    fatal(error.name === 'ConfigError' ? `Configuration problem: ${error.message}` : `${error.message}`);
    return;
  }
  document.title = `${config.facility}: take a number`;
  $('facility').textContent = config.facility;

  const notices = [];
  const addNotice = (text) => {
    notices.push({ text, at: new Date() });
    renderNotices();
  };
  const announcer = new Announcer();

  const record = kioskRecord({ timeZone: config.timeZone });
  const startDepartments = () => config.departments.map((dept) => new Department({
    config: dept,
    machine: new SharedMachine({
      name: dept.id,
      minNumber: dept.minNumber,
      maxNumber: dept.maxNumber,
      autoShutdownTimeout: dept.autoShutdownTimeout,
      record,
      seed: () => legacySeed(window.localStorage, dept, record),
    }),
    onChange: () => {
      render(dept.id);
      renderNotices();
      markHosting();
    },
  }));
  let departments;
  try {
    departments = startDepartments();
  } catch (error) {
    if (error.code !== 'unsupported') throw error;
    fatal('This kiosk must be opened over https:// or from this computer (localhost): the browser shares '
      + 'the ticket machines between the kiosk\'s windows only there.');
    return;
  }
  const byId = new Map(departments.map((d) => [d.config.id, d]));
  const cards = new Map();

  // --- Customer view -------------------------------------------------------------------
  for (const dept of departments) {
    const { id, name, colour } = dept.config;
    const status = el('p', { className: 'card-status', attrs: { id: `status-${id}` } });
    const button = el('button', {
      className: 'take',
      text: 'Take a number',
      attrs: { type: 'button', 'aria-describedby': `name-${id} status-${id}`, 'data-department': id },
    });
    const card = el('article', { className: 'department-card', attrs: { 'aria-labelledby': `name-${id}` } }, [
      el('h3', { text: name, attrs: { id: `name-${id}` } }),
      status,
      button,
    ]);
    paint(card, colour);
    button.addEventListener('click', () => takeNumber(dept));
    // A switched-off department wakes on a touch anywhere on its card, not only its button.
    card.addEventListener('click', (event) => {
      if (event.target !== button && dept.view().asleep) {
        dept.wake().catch((error) => addNotice(`${dept.config.name}: switching on failed (${error.code ?? error.message}).`));
      }
    });
    $('departments').append(card);
    cards.set(id, { status, button });
  }

  let takeBusy = false;
  async function takeNumber(dept) {
    if (takeBusy) return; // one ticket per tap, however fast the taps come
    takeBusy = true;
    const message = $('customer-message');
    try {
      const result = await dept.take();
      if (result.full) {
        $('ticket').hidden = true;
        message.textContent = `All numbers for ${dept.config.name} are taken at the moment. Please ask at the desk, or try again in a few minutes.`;
        message.hidden = false;
        message.scrollIntoView({ block: 'nearest' });
        $('announce-ticket').textContent = message.textContent;
        return;
      }
      message.hidden = true;
      const ahead = result.ahead === 0 ? 'You are next.' : `${plural(result.ahead, 'person', 'people')} ahead of you.`;
      $('ticket-number').textContent = String(result.number);
      $('ticket-department').textContent = dept.config.name;
      $('ticket-ahead').textContent = ahead;
      $('ticket-time').textContent = `Taken at ${new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}`;
      const ticket = $('ticket');
      paint(ticket, dept.config.colour);
      ticket.hidden = false;
      // On a landscape tablet the ticket sits below the buttons: bring it into view.
      const calm = matchMedia('(prefers-reduced-motion: reduce)').matches;
      ticket.scrollIntoView({ block: 'nearest', behavior: calm ? 'auto' : 'smooth' });
      $('announce-ticket').textContent = `Your number is ${result.number}, ${dept.config.name}. ${ahead}`;
    } catch (error) {
      message.textContent = 'Sorry, something went wrong. Please ask at the desk.';
      message.hidden = false;
      addNotice(`${dept.config.name}: taking a number failed (${error.code ?? error.message}).`);
    } finally {
      takeBusy = false;
    }
  }
  $('print-ticket').addEventListener('click', () => window.print());

  // --- Board ---------------------------------------------------------------------------
  const tiles = new Map();
  for (const dept of departments) {
    const { id, name, colour } = dept.config;
    const number = el('p', { className: 'board-number' });
    const waiting = el('p', { className: 'board-waiting' });
    const tile = el('article', { className: 'board-tile', attrs: { 'aria-labelledby': `board-name-${id}` } }, [
      el('h3', { text: name, attrs: { id: `board-name-${id}` } }),
      el('p', { className: 'board-label', text: 'Now serving' }),
      number,
      waiting,
    ]);
    paint(tile, colour);
    $('board').append(tile);
    tiles.set(id, { number, waiting });
  }

  // --- Staff console ------------------------------------------------------------------
  const panels = new Map();
  for (const dept of departments) {
    const { id, name } = dept.config;
    const serving = el('p', { className: 'staff-serving' });
    const serveNext = el('button', { text: 'Serve next', attrs: { type: 'button' } });
    const list = el('ul', { className: 'waiting-list', attrs: { 'aria-label': `${name}: waiting numbers` } });
    const reset = el('button', { className: 'danger', text: 'Reset queue…', attrs: { type: 'button' } });
    const result = el('p', { className: 'staff-result', attrs: { role: 'status' } });
    const panel = el('section', { className: 'staff-panel', attrs: { 'aria-labelledby': `staff-name-${id}` } }, [
      el('h3', { text: name, attrs: { id: `staff-name-${id}` } }),
      serving,
      el('div', { className: 'staff-actions' }, [serveNext, reset]),
      result,
      el('h4', { text: 'Waiting (tap a number to serve it first)' }),
      list,
    ]);
    paint(panel, dept.config.colour);
    serveNext.addEventListener('click', () => serve(dept));
    reset.addEventListener('click', () => confirmReset(dept));
    $('staff-departments').append(panel);
    panels.set(id, { serving, list, result });
  }

  async function serve(dept, priority) {
    const { result } = panels.get(dept.config.id);
    try {
      const outcome = await dept.serve(priority);
      if (outcome.empty) result.textContent = 'Nobody is waiting.';
      else if (outcome.notFound) result.textContent = `${priority} is no longer waiting.`;
      else {
        result.textContent = `Serving ${outcome.number}.`;
        $('announce-serving').textContent = `Now serving number ${outcome.number}, ${dept.config.name}.`;
        announcer.call(outcome.number, dept.config.name);
      }
    } catch (error) {
      result.textContent = `Could not serve (${error.code ?? error.message}).`;
    }
  }

  let resetTarget = null;
  function confirmReset(dept) {
    resetTarget = dept;
    $('confirm-text').textContent = `Every waiting ticket of ${dept.config.name} will be dropped, and numbering starts again at ${dept.config.minNumber}.`;
    $('confirm-reset').showModal();
  }
  $('confirm-reset').addEventListener('close', async () => {
    const dept = resetTarget;
    resetTarget = null;
    if ($('confirm-reset').returnValue !== 'reset' || !dept) return;
    const { result } = panels.get(dept.config.id);
    try {
      await dept.reset();
      result.textContent = 'The queue was reset.';
    } catch (error) {
      result.textContent = `Could not reset (${error.code ?? error.message}).`;
    }
  });

  // The PIN lives on this device only; the lock (setup, unlock, waits, reset) is its own view.
  const staffLock = mountStaffLock({
    root: $('staff-lock'),
    view: $('view-staff'),
    consoleEl: $('console'),
    lockButton: $('lock'),
    title: $('facility'),
    access: new StaffAccess({ records: new IdbRecords() }),
    lockAfterMs: config.staff.lockAfterMs,
    onUnlocked: () => $('staff-departments').querySelector('button')?.focus(),
    onNoticesChange: () => renderNotices(),
  });
  $('sound-toggle').addEventListener('change', (event) => announcer.setEnabled(event.target.checked));

  /**
   * This window's notices, the device's lockouts and PIN changes, and every department's
   * notices (the last two shared by every window), oldest first.
   */
  function renderNotices() {
    const all = [
      ...[...notices, ...staffLock.notices()].map(({ text, at }) => ({ text, at: at.getTime() })),
      ...departments.flatMap((dept) => dept.view().notices
        .map(({ text, at }) => ({ text: `${dept.config.name}: ${text}`, at }))),
    ].sort((a, b) => a.at - b.at);
    const list = $('notices');
    list.replaceChildren(...(all.length === 0
      ? [el('li', { text: 'No notices.' })]
      : all.map(({ text, at }) => el('li', { text: `${new Date(at).toLocaleTimeString()}: ${text}` }))));
  }

  // --- Rendering ---------------------------------------------------------------------
  function render(id) {
    const dept = byId.get(id);
    const { queue, nowServing, asleep, known } = dept.view();
    const waiting = known ? plural(queue.length, 'person', 'people') + ' waiting' : 'Connecting…';

    const card = cards.get(id);
    card.status.textContent = asleep
      ? 'Switched off to save energy. Touch to switch it on.'
      : waiting;
    card.button.closest('.department-card').classList.toggle('asleep', asleep);

    const tile = tiles.get(id);
    tile.number.textContent = asleep ? 'Closed' : nowServing === null ? '–' : String(nowServing);
    tile.waiting.textContent = asleep ? 'Switched off' : waiting;

    const panel = panels.get(id);
    panel.serving.textContent = asleep
      ? 'Switched off (idle). Serving or a customer ticket switches it on again.'
      : `Now serving: ${nowServing ?? 'nobody yet'} · ${waiting}`;
    panel.list.replaceChildren(...queue.map((n) => {
      const pick = el('button', { className: 'pick', text: String(n), attrs: { type: 'button', 'aria-label': `Serve ${n} now` } });
      pick.addEventListener('click', () => serve(dept, n));
      return el('li', {}, [pick]);
    }));
    if (queue.length === 0) panel.list.append(el('li', { className: 'empty', text: 'Nobody is waiting.' }));
  }

  // --- Views ---------------------------------------------------------------------------
  function showView() {
    const wanted = location.hash === RESET_HASH ? 'staff' : location.hash.slice(1);
    const name = ['customer', 'board', 'staff'].includes(wanted) ? wanted : 'customer';
    for (const view of ['customer', 'board', 'staff']) {
      $(`view-${view}`).hidden = view !== name;
      const link = document.querySelector(`[data-view-link="${view}"]`); // none for staff: SECURITY.md
      if (view === name) link?.setAttribute('aria-current', 'page');
      else link?.removeAttribute('aria-current');
    }
    document.body.dataset.view = name;
  }
  window.addEventListener('hashchange', showView);

  for (const dept of departments) render(dept.config.id);
  renderNotices();
  updates.watch({ busy: () => staffLock.session.unlocked, onNotice: addNotice });
  $('loading').hidden = true;
  showView();
  await Promise.all(departments.map((dept) => dept.ready));
  document.body.dataset.ready = 'true';

  /** Which departments this window hosts: for diagnostics (and the tests that close the host). */
  function markHosting() {
    document.body.dataset.hosting = departments.filter((d) => d.isHost).map((d) => d.config.id).join(' ');
  }
}

start().catch((error) => fatal(`Unexpected error: ${error.message}`));
