// The kiosk page's wiring: load the configuration and the languages, start one shared machine
// per department (every window of the browser uses the same one), mount the views, and tell
// them about every change. The customer's buttons come first: early.js shows them, then
// imports this script, and the customer view here answers a tap taken before it was there.
// Once that view takes taps, the page loads and mounts the others (later-views.js). The
// views own their parts of the DOM (views/), and build it with DOM methods and textContent
// (never innerHTML), so config text cannot inject markup and the Content-Security-Policy needs
// no 'unsafe-inline'. The rules live in DOM-free modules.
import init from '../pkg/take_a_number_deluxe.js';
import { SharedMachine } from '../pkg/shared.js';
import { textColourOn } from './config.js';
import * as startup from './startup.js';
import { Department } from './department.js';
import { kioskRecord } from './record.js';
import { legacySeed } from './storage.js';
import { Announcer } from './sound.js';
import { DeviceLogin, HubStaffAccess, NoHubMachine, connectDevice, signInStaff } from './hub-mode.js';
import { PageLanguage } from './languages.js';
import { CustomerFlow } from './customer-flow.js';
import { DeviceSettings } from './device-settings.js';
import { CallWatcher } from './calls.js';
import { mountCustomer } from './views/customer.js';
import { applyLanguage, mountLanguageSwitch, viewOf, showFatal, RESET_HASH } from './views/page.js';
// The other views come from './later-views.js', imported once customers can take tickets.

const $ = (id) => document.getElementById(id);

/** The page cannot start: early.js's first screen gives way to why. */
function fatal(message) {
  startup.giveUp();
  showFatal(document, message);
}

async function start() {
  let config;
  let languages;
  try {
    // All at once: the wasm compiles while the configuration and the texts arrive (startup.js
    // has asked for them already, for early.js).
    const wasm = init();
    wasm.catch(() => {}); // awaited below, after the configuration's own errors
    config = await startup.config;
    languages = startup.languages; // awaited below, once the departments are started
    await wasm;
  } catch (error) {
    // Before the languages are loaded there is only the English of index.html.
    const what = { ConfigError: 'Configuration problem: ', I18nError: 'Language file problem: ' }[error.name] ?? '';
    fatal(`${what}${error.message}`);
    return;
  }

  // --- Notices for staff: this window's, the device's (PIN), and each department's ---------
  // This window's, the newest WINDOW_NOTICES ({ at, key, params }): a kiosk runs all day, and
  // every change of any department renders them all.
  const WINDOW_NOTICES = 20;
  const notices = [];
  let consoleView = null;
  const addNotice = (key, params = {}) => {
    notices.push({ at: Date.now(), key, params });
    if (notices.length > WINDOW_NOTICES) notices.shift();
    consoleView?.renderNotices();
  };

  // --- Departments --------------------------------------------------------------------
  const record = kioskRecord({ timeZone: config.timeZone });
  // { customer } once the customer view is mounted, the other views added once they are;
  // changes before that are rendered when they are mounted.
  let views = null;
  const watchers = new Map(config.departments.map((dept) => [dept.id, new CallWatcher()]));
  // One browser: every window of it shares one machine per department. With a facility hub:
  // every device does, through the hub; until this window is connected, a stand-in says why not.
  const hubMode = config.hub !== null;
  const standIns = new Map(config.departments.map((dept) => [dept.id, new NoHubMachine()]));
  const shared = []; // this window's SharedMachines, closed if the page cannot start after all
  const machineOf = (dept) => {
    if (hubMode) return standIns.get(dept.id);
    const machine = new SharedMachine({
      name: dept.id,
      minNumber: dept.minNumber,
      maxNumber: dept.maxNumber,
      autoShutdownTimeout: dept.autoShutdownTimeout,
      record,
      seed: () => legacySeed(window.localStorage, dept, record),
    });
    shared.push(machine);
    return machine;
  };
  const startDepartments = () => config.departments.map((dept) => new Department({
    config: dept,
    machine: machineOf(dept),
    onChange: () => changed(dept.id),
  }));
  // The departments need no texts: their machines start while the other languages arrive.
  let departments = null;
  try {
    departments = startDepartments();
  } catch (error) {
    if (error.code !== 'unsupported') throw error;
  }
  let messages;
  try {
    messages = await languages;
  } catch (error) {
    for (const machine of shared) machine.close();
    fatal(`${error.name === 'I18nError' ? 'Language file problem: ' : ''}${error.message}`);
    return;
  }

  // --- The window's language ------------------------------------------------------------
  const i18n = new PageLanguage({
    messages,
    defaultLanguage: config.language,
    offered: config.languages,
    onMissing: (language, keys) => addNotice('notice.missing-texts', { file: `i18n/${language}.json`, keys: keys.join(', '), count: keys.length }),
  });
  const showLanguage = () => applyLanguage(document, i18n, config);
  showLanguage();
  i18n.subscribe(showLanguage);
  if (departments === null) {
    fatal(i18n.t('fatal.unsupported'));
    return;
  }
  const byId = new Map(departments.map((d) => [d.config.id, d]));

  // --- Hub mode: the device's connection, and the staff's once they sign in -----------------
  const deviceLogin = hubMode ? new DeviceLogin(safeStorage('localStorage')) : null;
  const deviceMachines = new Map(); // department id -> HubMachine on the device's connection
  let staffHub = null;
  const hubMachine = (hub, dept) => hub.machine({
    name: dept.id, minNumber: dept.minNumber, maxNumber: dept.maxNumber, autoShutdownTimeout: dept.autoShutdownTimeout, record,
  });
  const standBy = (status) => { for (const standIn of standIns.values()) standIn.setStatus(status); };
  /** Each department on the staff's connection while the console is open, else on the device's. */
  const useConnection = () => {
    for (const dept of departments) {
      dept.use(staffHub ? hubMachine(staffHub, dept.config) : deviceMachines.get(dept.config.id) ?? standIns.get(dept.config.id));
    }
  };
  // The device's connection reconnects by itself, except that the NATS client gives up for good
  // once the hub has refused the account twice in a row (its password changed on the hub, or a
  // hub restarted with other accounts). Then the device starts over, and keeps trying, less
  // often each time (each try costs the hub a bcrypt check), so that it comes back by itself
  // once the hub accepts it again.
  let refusals = 0;
  const startOver = (error) => {
    standBy(error?.name === 'AuthorizationError' ? 'refused' : 'offline');
    setTimeout(connectThisDevice, Math.min(5000 * 2 ** refusals++, 5 * 60_000));
  };
  async function connectThisDevice() {
    const login = deviceLogin.get();
    if (login === null) {
      standBy('not-set-up');
      return;
    }
    // A hub that does not answer at start-up is said to be out of reach within seconds; the
    // connection keeps trying, and the departments come once it is there.
    const patience = setTimeout(() => standBy('offline'), 3000);
    let hub;
    try {
      hub = await connectDevice({ url: config.hub.urls, login });
    } catch (error) {
      startOver(error);
      return;
    } finally {
      clearTimeout(patience);
    }
    refusals = 0;
    for (const dept of departments) deviceMachines.set(dept.config.id, hubMachine(hub, dept.config));
    if (staffHub === null) useConnection();
    hub.connectionClosed().then((error) => {
      hub.close();
      deviceMachines.clear();
      if (staffHub === null) useConnection();
      startOver(error);
    });
  }
  if (hubMode) connectThisDevice();

  // --- Sound: any window whose view has its sound on calls out every new call it sees -----
  // Made on first use: the customer view never needs it, and a fresh profile's first touch of
  // localStorage costs a slow kiosk tens of milliseconds at start.
  let deviceSettings = null;
  const settings = () => {
    deviceSettings ??= new DeviceSettings({ local: safeStorage('localStorage'), session: safeStorage('sessionStorage') });
    return deviceSettings;
  };
  const announcer = new Announcer(window);
  const soundSwitch = (view) => ({
    on: () => settings().sound(view),
    set: (on) => {
      settings().setSound(view, on);
      if (on) announcer.wake(); // the switch's click is the gesture browsers ask for
    },
    blocked: () => !announcer.allowed,
  });
  announcer.unlockOnGesture(document);
  const afterGesture = () => {
    views?.board?.renderSound();
    consoleView?.renderSound();
  };
  document.addEventListener('pointerdown', afterGesture, { once: true });
  document.addEventListener('keydown', afterGesture, { once: true });
  /** The view whose sound switch decides whether this window speaks. */
  const soundView = () => ({ board: 'board', staff: 'staff', figures: 'staff' })[document.body.dataset.view] ?? null;

  /** New calls and recalls of a department: the live region, the board's flash, the call-out. */
  function callOut(dept) {
    if (!dept.view().known) return; // the first state is the past, not news
    const { calls, recall } = watchers.get(dept.config.id).observe(dept.record());
    const speak = soundView() !== null && settings().sound(soundView());
    const name = i18n.text(dept.config.names);
    const say = ({ number, counter }, again) => {
      const params = { number, counter, department: name };
      $('announce-serving').textContent = i18n.t(`live.${again ? 'recall' : 'call'}${counter === null ? '' : '-counter'}`, params);
      if (speak) announcer.announce(i18n.t(counter === null ? 'speech.call' : 'speech.call-counter', params), i18n.code);
    };
    for (const call of calls) say(call, false);
    if (recall) {
      views.board?.recalled(dept.config.id, recall);
      say(recall, true);
    }
  }

  function changed(id) {
    if (views === null) return;
    const dept = byId.get(id);
    views.customer.render(id);
    views.board?.render(id);
    views.console?.render(id);
    views.figures?.render();
    views.console?.renderNotices();
    views.banner?.render(pageStatus(departments));
    callOut(dept);
    markHosting();
  }

  // --- Views ---------------------------------------------------------------------------
  const flow = new CustomerFlow({ defaultLanguage: config.language, ticketMs: config.ticketMs });
  const customer = mountCustomer({
    doc: document, departments, i18n, flow, timeZone: config.timeZone, textColourOn, addNotice,
    isShown: () => document.body.dataset.view === 'customer',
  });
  views = { customer };
  const languageSwitch = mountLanguageSwitch({ root: $('language-switch'), i18n, onChoose: (code) => customer.chooseLanguage(code) });
  i18n.subscribe(() => languageSwitch.render());

  // The other views join `views` once the customer view is usable (later-views.js).
  let staffLock = null;
  let laterProblem = null; // why they could not be loaded, if they could not

  /** The view the address asks for; staff, board and setup wait on "Starting…" until mounted. */
  function showView() {
    const name = viewOf(location.hash, RESET_HASH);
    const section = name === 'figures' ? 'staff' : name;
    const mounted = section === 'customer' || views.board !== undefined;
    if (!mounted && laterProblem !== null) {
      showFatal(document, laterProblem);
      return;
    }
    $('fatal').hidden = true;
    $('loading').hidden = mounted;
    for (const view of ['customer', 'board', 'staff', 'hub-setup']) $(`view-${view}`).hidden = !mounted || view !== section;
    // No link leads customers to the staff view (SECURITY.md): inside the console, two buttons
    // switch between its pages.
    for (const link of document.querySelectorAll('[data-view-link]')) {
      if (link.dataset.viewLink === name) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    for (const button of document.querySelectorAll('[data-console-page]')) {
      button.setAttribute('aria-pressed', String(button.dataset.consolePage === name));
    }
    $('console-counters').hidden = name === 'figures';
    $('figures').hidden = name !== 'figures';
    document.body.dataset.view = name;
    if (name === 'customer') customer.shown();
    views.figures?.render();
  }
  window.addEventListener('hashchange', showView);
  for (const dept of departments) customer.render(dept.config.id);
  // An update reloads the page only at a quiet moment: never with a ticket on the screen or
  // the staff console open.
  const ticketShown = () => document.body.dataset.view === 'customer' && flow.screen === 'ticket';
  startup.updates.watch({ busy: () => Boolean(staffLock?.session.unlocked) || ticketShown(), onNotice: addNotice });
  showView();
  // What a customer asked for before this view was there (first.js and early.js kept it): a
  // language, then a ticket.
  const asked = startup.takeOver();
  if (asked.language !== null) customer.chooseLanguage(asked.language);
  if (asked.department !== null) customer.take(asked.department);
  // Usable from here (early.js has said so already, unless it had no time to): a tap now is
  // answered once the department's machine is (its request waits for the host;
  // js/shared/client.js resends it when one starts). Ready, below, is when every view is
  // mounted and every department's state is known and shown.
  document.body.dataset.usable = 'true';
  startup.settled();

  // A task of its own, so that a tap already waiting is handled before the rest is mounted (a
  // message, not a timer: timers may be held back, as in a background tab or a test's clock).
  await new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
  let later;
  try {
    later = await import('./later-views.js');
  } catch (error) {
    // The server went away between the page and this chunk (the built page has it precached):
    // customers keep their view; the others say why they cannot open.
    laterProblem = `Unexpected error: ${error.message}`;
    showView();
    return;
  }
  const board = later.mountBoard({ doc: document, departments, i18n, sound: soundSwitch('board'), textColourOn });

  // The PIN lives on this device only; the lock (setup, unlock, waits, reset) is its own view.
  // With a facility hub, staff sign in with their hub account instead.
  const staffRecords = new later.IdbRecords();
  staffLock = later.mountStaffLock({
    root: $('staff-lock'),
    view: $('view-staff'),
    consoleEl: $('console'),
    lockButton: $('lock'),
    title: $('facility'),
    access: hubMode
      ? new HubStaffAccess({ records: staffRecords, signIn: (user, pass) => signInStaff({ url: config.hub.urls, user, pass }) })
      : new later.StaffAccess({ records: staffRecords }),
    lockAfterMs: config.staff.lockAfterMs,
    i18n,
    onUnlocked: ({ hub }) => {
      if (hub) {
        // Hub mode: what staff do in this window goes out on their own account.
        staffHub = hub;
        useConnection();
      }
      $('console').querySelector('#staff-departments button:not([disabled]), select')?.focus();
    },
    onLocked: () => {
      if (staffHub === null) return;
      staffHub.close();
      staffHub = null;
      useConnection();
    },
    onNoticesChange: () => consoleView?.renderNotices(),
  });

  /**
   * This window's notices, the device's lockouts and PIN changes, and every department's
   * notices (the last two shared by every window), oldest first, in the window's language
   * (a department's notices come from the shared record, in English).
   */
  const allNotices = () => [
    ...notices.map(({ at, key, params }) => ({ at, text: i18n.t(key, params) })),
    ...staffLock.notices().map(({ at, text, code, params }) => ({
      at: at.getTime(),
      // The wait in SI symbols ("30 s", "2 min"), read alike in the kiosk's languages.
      text: code ? i18n.t(`notice.${code}`, { ...params, wait: later.formatDuration(params.waitMs ?? 0) }) : text,
    })),
    ...departments.flatMap((dept) => dept.view().notices
      .map(({ text, at }) => ({ text: `${i18n.text(dept.config.names)}: ${text}`, at }))),
  ].sort((a, b) => a.at - b.at);
  consoleView = later.mountConsole({
    doc: document, departments, i18n, settings: settings(), sound: soundSwitch('staff'), notices: allNotices, textColourOn,
  });
  const figures = later.mountFigures({
    root: $('figures'), departments, i18n, timeZone: config.timeZone,
    isShown: () => document.body.dataset.view === 'figures' && !$('console').hidden,
  });
  const banner = later.mountHubBanner({ root: $('hub-banner'), doc: document, i18n });
  later.mountHubSetup({ root: $('hub-setup'), i18n, hubMode, login: deviceLogin, onSaved: () => window.location.reload() });
  Object.assign(views, { board, console: consoleView, figures, banner });

  for (const button of document.querySelectorAll('[data-console-page]')) {
    button.addEventListener('click', () => { location.hash = `#${button.dataset.consolePage}`; });
  }
  // The figures are drawn when the console opens on them (the lock shows the console).
  new MutationObserver(() => figures.render()).observe($('console'), { attributes: true, attributeFilter: ['hidden'] });

  for (const dept of departments) {
    board.render(dept.config.id);
    consoleView.render(dept.config.id);
  }
  consoleView.renderNotices();
  banner.render(pageStatus(departments));
  showView();
  await Promise.all(departments.map((dept) => dept.ready));
  for (const dept of departments) changed(dept.config.id);
  document.body.dataset.ready = 'true';

  /** Which departments this window hosts: for diagnostics (and the tests that close the host). */
  function markHosting() {
    document.body.dataset.hosting = departments.filter((d) => d.isHost).map((d) => d.config.id).join(' ');
  }
}

// From the most to the least in need of someone's attention: what the banner says when the
// departments differ (one may need the update while the others run).
const SEVERITY = ['refused', 'not-set-up', 'closed', 'offline', 'needs-update', 'connecting', 'online'];

/** The status the page's banner shows: the most severe of its departments'. */
function pageStatus(departments) {
  const rank = (status) => (SEVERITY.includes(status) ? SEVERITY.indexOf(status) : 0);
  return departments.map((d) => d.status).reduce((worst, status) => (rank(status) < rank(worst) ? status : worst), 'online');
}

/** window.localStorage or sessionStorage, or null where the browser refuses them. */
function safeStorage(name) {
  try {
    return window[name];
  } catch {
    return null;
  }
}

start().catch((error) => fatal(`Unexpected error: ${error.message}`));
