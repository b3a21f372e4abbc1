// The staff view (#view-staff): the lock in front (views/staff-lock.js), and behind it the
// console with its pages, the counters (views/console.js), the day's figures (views/figures.js)
// and, for a manager, the settings (views/settings.js), the PIN change (views/change-pin.js) and "Lock console". The console
// stays open while staff use it (StaffSession, staff/staff-access.js, locks it after a quiet
// while).
import { StaffAccess, StaffSession, formatDuration } from '../staff/staff-access.js';
import { HubStaffAccess, signInStaff } from '../hub/hub-mode.js';
import { IdbRecords } from '../staff/staff-records.js';
import { staffNotices } from '../model/notices.js';
import { mountStaffLock } from './staff-lock.js';
import { mountChangePin } from './change-pin.js';
import { mountConsole } from './console.js';
import { mountFigures } from './figures.js';
import { mountSettings } from './settings.js';

/**
 * @param root        the staff view's section (#view-staff)
 * @param hub         config.json's hub: staff sign in with their hub account (HubStaffAccess)
 *                    instead of the device's PIN (StaffAccess), both kept on this device only
 * @param notices     this window's WindowNotices (model/notices.js), listed with the device's
 *                    and the departments'
 * @param useStaffConnection  (hub) => the departments are to use the staff's own connection
 *                    while the console is open (hub mode), or the device's again (null)
 * @param manage      the Settings page, for a manager: { record, served, onSave, languages,
 *                    allowed } as mountSettings takes them (views/settings.js), `allowed()` saying
 *                    whether the console as now unlocked may see it (true if left out); null
 *                    (or left out): no Settings page
 * and facility (departments.js), i18n, settings, sound, textColourOn as for the other views.
 * Returns { session, route(route) }: call route() with each route (model/route.js) shown.
 */
export function mountStaff({
  root, facility, hub, i18n, settings, sound, notices, textColourOn, useStaffConnection, manage = null,
  win = window,
}) {
  const part = (selector) => root.querySelector(selector);
  const records = new IdbRecords();
  const access = hub === null ? new StaffAccess({ records })
    : new HubStaffAccess({ records, signIn: (user, pass) => signInStaff({ url: hub.urls, user, pass }) });
  const consoleEl = part('#console');
  let page = 'staff';
  let open = false;
  let changePin = null; // mounted once the lock is there: it runs its checks through the lock
  const session = new StaffSession({ lockAfterMs: facility.config.staff.lockAfterMs, onChange: () => lock.render() });
  // A manager's new lock time counts from the next staff activity.
  facility.subscribe(() => { session.lockAfterMs = facility.config.staff.lockAfterMs; });
  const counters = mountConsole({
    root: consoleEl, facility, i18n, settings, sound, textColourOn,
    notices: () => staffNotices({ own: notices.list(), device: lock.notices(), departments: facility.departments, i18n, formatDuration }),
  });
  const figures = mountFigures({
    root: part('#figures'), facility, i18n, isShown: () => page === 'figures' && open,
  });
  const manager = manage === null ? null : mountSettings({
    root: part('#settings'), i18n, departments: () => facility.departments, timeZone: () => facility.config.timeZone, textColourOn, ...manage,
  });
  /** Whether this console, as unlocked now, shows the Settings page. */
  const manages = () => manager !== null && open && (manage.allowed?.() ?? true);
  const lock = mountStaffLock({
    root: part('#staff-lock'), access, session, i18n, win,
    onLocked: () => useStaffConnection(null),
    onUnlocked: ({ hub = null }) => {
      if (hub) useStaffConnection(hub); // what staff do in this window goes out on their account
      consoleEl.querySelector('#staff-departments button:not([disabled]), select')?.focus();
    },
    onRender: (shown) => {
      consoleEl.hidden = !shown;
      if (!shown) closeDialogs();
      changePin?.render();
      if (shown !== open) {
        open = shown;
        figures.render(); // drawn when the console opens on them
        showPage();
      }
    },
    onNoticesChange: () => counters.renderNotices(),
  });
  if (access.kind !== 'hub') {
    changePin = mountChangePin({ actions: part('.console-actions'), status: part('#pin-changed'), access, session, lock, i18n });
    changePin.render();
  }
  notices.subscribe(() => counters.renderNotices());
  counters.renderNotices();

  part('#lock').addEventListener('click', () => session.lock());
  // Staff activity keeps the console open (the PIN dialog is inside this view too).
  for (const type of ['pointerdown', 'keydown']) root.addEventListener(type, () => session.activity(), { passive: true });
  const pages = [...root.querySelectorAll('[data-console-page]')];
  // A modal dialog left open in a hidden console would make the whole page inert, unseen.
  function closeDialogs() {
    for (const dialog of root.querySelectorAll('dialog[open]')) dialog.close();
  }
  for (const button of pages) {
    button.addEventListener('click', () => { win.location.hash = `#${button.dataset.consolePage}`; });
  }

  /** Shows the console page asked for; the settings only to whom may see them (else the counters). */
  function showPage() {
    const settingsButton = pages.find((b) => b.dataset.consolePage === 'settings');
    settingsButton.hidden = !manages();
    const shown = page === 'settings' && !manages() ? 'staff' : page;
    for (const button of pages) button.setAttribute('aria-pressed', String(button.dataset.consolePage === shown));
    part('#console-counters').hidden = shown !== 'staff';
    part('#figures').hidden = shown !== 'figures';
    part('#settings').hidden = shown !== 'settings';
    figures.render();
    if (shown === 'settings') manager.render();
  }

  return {
    session,
    /** Shows the console page `route.view` asks for (the counters, the day's figures or the settings). */
    route({ view, section }) {
      page = view;
      if (section !== 'staff') closeDialogs();
      showPage();
    },
  };
}
