// The kiosk page's wiring: load, start the departments, mount the views, route. early-screen.js
// shows the customer's buttons first; the customer view here answers a tap taken before it was
// there, then the other views are loaded (views/later.js). Each view owns one element of
// index.html and follows what it shows; the rules live in DOM-free modules.
import init from '../pkg/take_a_number_deluxe.js';
import { textColourOn } from './model/config.js';
import * as startup from './boot/loading.js';
import { startDepartments } from './model/departments.js';
import { subscribeEach } from './model/department.js';
import { PageLanguage } from './language/page-language.js';
import { WindowNotices } from './model/notices.js';
import { CallOut } from './model/call-out.js';
import { CallQueue } from './model/call-queue.js';
import { routeOf } from './model/route.js';
import { deviceSettingsOf } from './model/device-settings.js';
import { startSpeaker } from './sound/speaker.js';
import { CustomerFlow } from './model/customer-flow.js';
import { mountCustomer } from './views/customer.js';
import { mountLiveCalls } from './views/live-calls.js';
import { mountFrame } from './views/frame.js';
import { applyLanguage, mountLanguageSwitch } from './views/page.js';
import { followSettings, configureDepartments } from './model/settings-follow.js';
import { read } from './model/config-reading.js';
import { LocalSettings } from '../pkg/shared.js';
import { HubSettingsRecord } from './hub/hub-settings.js';

const $ = (id) => document.getElementById(id);

async function start() {
  // The wasm compiles while the configuration arrives (loading.js has asked for it already).
  const wasm = init();
  wasm.catch(() => {}); // awaited after the configuration, whose errors say more
  const config = await startup.config.then((settings) => wasm.then(() => settings)).catch(startup.fail);
  if (config === undefined) return;
  let started = null; // the departments need no texts: they start while the languages arrive
  try {
    started = startDepartments(config);
  } catch (error) {
    if (error.code !== 'unsupported') throw error;
  }
  const messages = await startup.languages.catch((error) => { started?.facility.close(); startup.fail(error); });
  if (messages === undefined) return;
  const notices = new WindowNotices();
  const addNotice = notices.add.bind(notices);
  const i18n = new PageLanguage({
    messages, defaultLanguage: config.language, offered: config.languages,
    onMissing: (language, keys) => addNotice('notice.missing-texts', { file: `i18n/${language}.json`, keys: keys.join(', '), count: keys.length }),
  });
  if (started === null) {
    applyLanguage(document, i18n, config);
    return startup.fail(i18n.t('fatal.unsupported'));
  }
  const { facility } = started;
  applyLanguage(document, i18n, facility.config);
  i18n.subscribe(() => applyLanguage(document, i18n, facility.config));
  started.connect();

  const frame = mountFrame(document);
  const mark = frame.follow(facility);
  const calls = new CallOut();
  facility.follow((departments) => subscribeEach(departments, (dept) => calls.observe(dept)));
  const settings = deviceSettingsOf(window);
  const speaker = startSpeaker({
    win: window, settings, i18n, calls, soundOf: () => routeOf(location.hash).sound, addNotice,
    callOutLanguages: () => facility.config.callOutLanguages,
  });
  const flow = new CustomerFlow({ defaultLanguage: config.language, ticketMs: config.ticketMs });
  const customer = mountCustomer({ root: $('view-customer'), home: $('main'), facility, i18n, flow, textColourOn, addNotice });
  const switchLanguages = () => mountLanguageSwitch({ root: $('language-switch'), i18n, onChoose: (code) => customer.chooseLanguage(code) });
  let languageSwitch = switchLanguages();
  i18n.subscribe(() => languageSwitch.render());
  mountLiveCalls({ root: $('announce-serving'), i18n, calls });
  // The board's calls, one at a time, each shown and said to its end (call-queue.js).
  const boardCalls = new CallQueue({ say: speaker.sayOnBoard });
  calls.subscribe((news) => boardCalls.push({ ...news, onBoard: routeOf(location.hash).view === 'board' }));

  let later = null; // the other views, once loaded, or why they could not be
  let problem = null;
  const showView = () => frame.show(routeOf(location.hash), { later: later !== null, problem });
  frame.subscribe((route) => { if (route.view === 'customer') customer.shown(); });
  window.addEventListener('hashchange', showView);
  let staff = null; // an update reloads the page only at a quiet moment: no ticket shown, no console open
  const busy = () => Boolean(staff?.session.unlocked) || customer.ticketShown();
  startup.updates.watch({ busy, onNotice: addNotice });
  showView();
  const asked = startup.takeOver(); // what a customer asked for before this view was there
  if (asked.language !== null) customer.chooseLanguage(asked.language);
  if (asked.department !== null) customer.take(asked.department);
  frame.mark('usable', 'true'); // a tap now is answered once the department's machine is
  startup.settled();

  await startup.nextTask(); // a tap already waiting is handled before the rest is mounted
  try {
    later = await import('./views/later.js');
  } catch (error) { // the server went away before this chunk: customers keep their view
    problem = `Unexpected error: ${error.message}`;
    return showView();
  }
  later.mountBoard({ root: $('view-board'), facility, i18n, sound: speaker.switchOf('board'), calls, textColourOn });
  later.mountCallOverlay({ root: $('view-board'), queue: boardCalls, i18n, textColourOn });
  later.mountWallScreen({ doc: document, frame });
  // A newer version of the facility's settings: every view follows the facility, the page's
  // languages and the customer's flow are set here. Versions apply one after the other.
  let applying = Promise.resolve();
  const useSettings = (next) => {
    applying = applying.then(async () => {
      const texts = await startup.languagesOf(next.languages); // every text it needs, before it shows
      let failure = null; // a view that could not follow: said after the rest has followed
      try {
        facility.apply(next);
      } catch (error) {
        failure = error;
      }
      flow.configure({ defaultLanguage: next.language, ticketMs: next.ticketMs, offered: next.languages });
      i18n.reconfigure({ messages: texts, defaultLanguage: next.language, offered: next.languages });
      // The start screen and the board turn to the new default; a ticket on screen keeps its
      // language, and so does a manager at work in the open console.
      if (flow.screen === 'start' && !staff?.session.unlocked) i18n.set(flow.language);
      languageSwitch = switchLanguages();
      if (failure !== null) throw failure;
    }).catch((error) => {
      // Said, and the next version is still applied: one failure does not stop the following.
      addNotice('notice.settings-refused', { problem: error.message });
    });
  };
  staff = later.mountStaff({
    root: $('view-staff'), facility, hub: config.hub, i18n, settings: settings(),
    sound: speaker.switchOf('staff'), notices, textColourOn, useStaffConnection: started.useStaff,
    manage: await manageSettings({ later, started, addNotice, i18n, useSettings }),
  });
  frame.subscribe(staff.route);
  later.mountWaysIn({ title: $('facility') });
  later.mountHubBanner({ root: $('hub-banner'), facility, i18n });
  later.mountHubSetup({ root: $('hub-setup'), i18n, hubMode: config.hub !== null, login: started.login, onSaved: () => window.location.reload() });
  await offerFollow({ customer, i18n, addNotice, served: await startup.served });
  showView();
  await Promise.all(facility.departments.map((dept) => dept.ready));
  mark();
  frame.mark('ready', 'true'); // every view mounted, every department's state known and shown
}

/**
 * Tickets carry a QR code for phones when the facility has a hub and its config.json offers
 * following (`follow`): without a hub nothing outside this browser could follow a ticket, so
 * the ticket says nothing about phones. Settings that cannot be used are said to staff, and
 * tickets go on without a code.
 */
async function offerFollow({ customer, i18n, addNotice, served }) {
  if (served.hub === null || served.follow === null) return;
  let code;
  try {
    code = await import('./views/ticket-follow.js');
  } catch (error) { // the server went away before this chunk: tickets go on without a code
    addNotice('notice.follow-failed', { problem: error.message });
    return;
  }
  const { config: follow, problems } = code.followConfigOf({ hub: { url: served.hub.urls }, follow: served.follow });
  if (problems.length > 0) {
    const [first] = problems;
    addNotice('notice.follow-config', { field: first.path.join('.'), problem: i18n.t(first.key, first.params) });
    return;
  }
  customer.offerFollow(code.mountTicketFollow({
    slot: $('ticket-qr'), caption: $('ticket-follow'), base: follow.page ?? window.location.href, i18n, addNotice,
  }));
}

/**
 * The facility's saved settings: the browser's record, or the hub's (on the staff's connection
 * while the console is open, so the hub decides who may save). Followed by every window and
 * device, which runs a newer version at once (`useSettings(config)`), and edited in the
 * console's Settings page. Returns mountStaff's `manage`.
 */
async function manageSettings({ later, started, addNotice, i18n, useSettings }) {
  const served = await startup.served;
  const inUse = await startup.inUse;
  const refused = (problem) => addNotice('notice.settings-refused', { problem: i18n.t(problem.key, problem.params) });
  if (inUse.problem) refused(inUse.problem);
  const record = served.hub === null ? new LocalSettings() : new HubSettingsRecord({ followHub: started.followHub });
  followSettings({
    record, served, version: inUse.version, storage: startup.localStorageOrNull(), onProblem: refused, apply: useSettings,
  });
  const starting = later.toRaw(served);
  delete starting.hub; // how a device reaches its hub is never a saved setting
  return {
    record,
    served: starting,
    async onSave(raw, { base }) {
      const saved = await record.save(raw, { base, device: null });
      // The departments' records decide their numbers: each one gets its range there too (on a
      // hub, a new one too: until then it refuses everything).
      if (saved.ok) await configureDepartments(started.facility.departments, read(raw).config, record.hub ?? null);
      return saved;
    },
  };
}

start().catch((error) => startup.fail(`Unexpected error: ${error.message}`));
