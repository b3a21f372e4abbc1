// The customer view ("Take a number", the touch screen at the entrance): a card per department
// with how many wait and about how long, the ticket, and the way back to the start screen for
// the next customer (customer-flow.js decides when; this module only shows it).
import { roundedMinutes } from '../model/estimate.js';
import { el, paint, setText, boundTexts } from './dom.js';
import { customerCards } from './customer-cards.js';
import { subscribeEach } from '../model/department.js';
import { mountReceiptPrint } from './receipt-print.js';
import { mountGroupPicker } from './group-picker.js';
import { groupIcon } from './group-icons.js';
import { groupOf } from '../model/queue-rules.js';

/**
 * @param root         the customer view's section (#view-customer): its cards, ticket and message
 * @param home         where focus goes when the ticket it was on goes away (the page's <main>)
 * @param facility     the Facility (departments.js): a card per department, rendered on its
 *                     changes, and built again when the facility's settings change (a ticket on
 *                     screen stays)
 * @param i18n         the window's PageLanguage (page-language.js)
 * @param flow         the CustomerFlow (customer-flow.js)
 * @param textColourOn (colour) => black or white text for a department colour
 * @param addNotice    (key, params) => a staff notice (a take, a wake or a print that failed)
 * @param now          the clock
 * Returns { take(id), chooseLanguage(code), shown(), ticketShown(), offerFollow(code) }.
 *
 * A department with queue groups (config.json `groups`) asks which group first (group-picker.js);
 * its ticket then says the group, on screen and on the receipt.
 */
export function mountCustomer({ root, home, facility, i18n, flow, textColourOn, addNotice, now = Date.now }) {
  const texts = boundTexts(i18n);
  const doc = root.ownerDocument;
  // The ticket's group line (a department with groups), printed with the rest of the ticket.
  root.querySelector('#ticket-department').after(el('p', { className: 'ticket-group', attrs: { id: 'ticket-group', hidden: '' } }));
  const answer = mountAnswer({ root, home, flow, i18n, now });
  const live = root.querySelector('#announce-ticket');
  const list = root.querySelector('#departments');
  const picker = mountGroupPicker({
    root, cards: list, i18n, idleMs: () => facility.config.ticketMs, choose: (dept, group) => takeNumber(dept, group),
  });
  /** A tap on a department's "Take a number": its groups first, if it has any. */
  const tapped = (dept) => {
    if (!(dept.config.groups?.length > 0)) {
      takeNumber(dept);
      return;
    }
    const button = cards.get(dept.config.id)?.button ?? null;
    // A tap first.js kept is answered, by the choice of group: the button is free again.
    button?.removeAttribute('aria-busy');
    picker.open(dept, button);
  };
  const byId = (id) => facility.departments.find((dept) => dept.config.id === id);
  let cards = new Map();
  const render = (dept) => {
    const parts = cards.get(dept.config.id);
    if (parts) renderCard(dept, parts, i18n, now);
  };
  // The cards may be there already: early-screen.js shows them while the machines start.
  facility.follow((departments) => {
    // New settings: the groups shown may be gone or changed; the customer starts again from the cards.
    picker.close({ focus: false });
    cards = customerCards(list, departments.map((dept) => dept.config), textColourOn);
    for (const dept of departments) render(dept);
    return subscribeEach(departments, render);
  });
  // One listener for every card, whichever settings built them.
  list.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-department]');
    const card = event.target.closest('[data-card]');
    const dept = byId(button?.dataset.department ?? card?.dataset.card);
    if (dept === undefined) return;
    if (button) {
      tapped(dept);
      return;
    }
    // A switched-off department wakes on a touch anywhere on its card, not only its button.
    if (!dept.view().asleep) return;
    dept.wake().catch((error) => {
      // A hub out of reach is already on every screen; a notice per touch would only bury
      // the ones staff need (as for a take).
      if (!hubUnreachable(error)) addNotice('notice.wake-failed', { department: dept.config.name, code: error.code ?? error.message });
    });
  });
  const win = root.ownerDocument.defaultView;
  // The printing settings as they are at each print: a manager's change applies without a reload.
  const receipt = mountReceiptPrint({ win, ticket: answer.parts.ticket, printing: () => facility.config.printing, addNotice });
  const printButton = root.querySelector('#print-ticket');
  texts.text(printButton, 'ticket.print');
  printButton.addEventListener('click', () => receipt.print());

  let followCode = null; // the ticket's QR code, once main.js offers one (views/ticket-follow.js)
  let takeBusy = false;
  async function takeNumber(dept, group = null) {
    if (takeBusy) return; // one ticket per tap, however fast the taps come
    takeBusy = true;
    // Until the answer: on a slow kiosk, or for a tap made before the page had started, the
    // customer sees that the tap was taken (kiosk.css), and does not tap again.
    const { button } = cards.get(dept.config.id);
    button.setAttribute('aria-busy', 'true');
    const { timeZone, facilityNames } = facility.config; // the ticket as the settings were at the tap
    try {
      const result = await dept.take(group);
      live.textContent = result.full ? answer.say(i18n.t('customer.full', { department: i18n.text(dept.config.names) }), { instead: true })
        : answer.ticket(fillTicket(answer.parts, { result, dept, facilityNames, i18n, timeZone, textColourOn, now, doc }));
      if (result.full) followCode?.hide();
      else followCode?.show({ department: dept.config.id, number: result.number, taken: result.taken });
      if (!result.full && facility.config.printing?.auto) printShown();
    } catch (error) {
      // With a facility hub: no number the hub has not stored is ever shown.
      const offline = hubUnreachable(error);
      answer.say(i18n.t(offline ? 'customer.offline' : 'customer.failed'));
      if (!offline) addNotice('notice.take-failed', { department: dept.config.name, code: error.code ?? error.message });
      render(dept);
    } finally {
      button.removeAttribute('aria-busy');
      // Cards built meanwhile (new settings) carried the mark over (customer-cards.js).
      cards.get(dept.config.id)?.button.removeAttribute('aria-busy');
      takeBusy = false;
    }
  }

  /**
   * Prints the ticket just shown, once the screen shows it: a print that takes its time, or
   * fails, leaves the customer a ticket to read. Not awaited: the next tap never waits for it.
   */
  function printShown() {
    win.requestAnimationFrame(() => win.setTimeout(() => receipt.print(), 0));
  }

  const renderAll = () => { for (const dept of facility.departments) render(dept); };
  i18n.subscribe(() => {
    texts.apply();
    renderAll();
    picker.render();
  });
  // Estimates age: a department nobody touches for a while still shows today's pace.
  win.setInterval(renderAll, 30_000);
  return {
    /** "Take a number" in department `id`, as if tapped (a tap first.js kept before this view was there). */
    take(id) {
      const dept = byId(id);
      if (dept) tapped(dept);
    },
    /** The language switch: a customer picks a language. */
    chooseLanguage(code) {
      const hadAnswer = flow.screen === 'ticket';
      flow.choose(code, now());
      if (hadAnswer) answer.hide();
      i18n.set(code);
      answer.arm();
    },
    /** The view came on screen: a pending return to the start counts from now. */
    shown() {
      flow.activity(now());
      answer.arm();
    },
    /** Whether a ticket (or the message in its place) is on screen. */
    ticketShown: () => !root.hidden && flow.screen === 'ticket',
    /** Tickets from now on carry `code` (views/ticket-follow.js): phones can follow them. */
    offerFollow(code) {
      followCode = code;
    },
  };
}

/**
 * The answer to a tap, the ticket or a message in its place, shown until the flow says the next
 * customer is there. Returns { parts, ticket(announce), say(text, { instead }), hide(), arm() }:
 * `ticket` shows the ticket, `say` the message (`instead` of the ticket: hidden then); both
 * return what the live region is to say.
 */
function mountAnswer({ root, home, flow, i18n, now }) {
  const doc = root.ownerDocument;
  const win = doc.defaultView;
  const part = (id) => root.querySelector(`#${id}`);
  const parts = Object.fromEntries(['ticket', 'ticket-facility', 'ticket-number', 'ticket-department', 'ticket-group', 'ticket-ahead', 'ticket-wait',
    'ticket-date', 'ticket-time'].map((id) => [id, part(id)]));
  const message = part('customer-message');
  const isShown = () => !root.hidden; // hidden: staff are using this window
  const hide = () => {
    // Hidden, not emptied: the live region keeps its words (a screen reader may be reading them).
    parts.ticket.hidden = true;
    message.hidden = true;
  };
  let timer = null;
  function arm() {
    win.clearTimeout(timer);
    timer = null;
    if (flow.deadline === null) return;
    timer = win.setTimeout(() => {
      timer = null;
      if (!isShown()) return; // wait until the view is shown again
      if (flow.tick(now())) backToStart();
      else arm();
    }, Math.max(0, flow.deadline - now()) + 50);
  }
  /** The start screen, in the facility's language: no ticket, no message. */
  function backToStart() {
    // Focus on the print button would vanish with the ticket: keep it in the page.
    if (parts.ticket.contains(doc.activeElement)) home.focus();
    hide();
    i18n.set(flow.language);
    arm();
  }
  function show(node) {
    node.hidden = false;
    // On a landscape tablet the ticket sits below the buttons: bring it into view.
    const calm = win.matchMedia('(prefers-reduced-motion: reduce)').matches;
    node.scrollIntoView({ block: 'nearest', behavior: calm ? 'auto' : 'smooth' });
    flow.ticketShown(now());
    arm();
  }
  // On click, not on pointer down: hiding the ticket shortens the page, and a page that moved
  // between pointer down and up would turn a tap on "Take a number" into no click at all. In the
  // capture phase the click's target is settled, and its own handler still runs after this.
  doc.addEventListener('click', (event) => {
    if (!isShown()) return;
    const onTicket = parts.ticket.contains(event.target) || message.contains(event.target);
    if (flow.tap(now(), { onTicket })) backToStart();
    else arm();
  }, { capture: true });
  doc.addEventListener('keydown', (event) => {
    if (!isShown()) return;
    if (event.key === 'Escape' && flow.screen === 'ticket') {
      flow.backToStart();
      backToStart();
      return;
    }
    flow.activity(now());
    arm();
  }, { capture: true });
  return {
    parts, hide, arm,
    ticket(announce) {
      message.hidden = true;
      show(parts.ticket);
      return announce;
    },
    say(text, { instead = false } = {}) {
      if (instead) parts.ticket.hidden = true;
      message.textContent = text;
      show(message);
      return text;
    },
  };
}

/**
 * Fills the ticket for `result` (a take's answer in `dept`); returns what the live region says.
 * The facility's name and the date are for the printed receipt (kiosk.css shows them there).
 */
function fillTicket(parts, { result, dept, facilityNames, i18n, timeZone, textColourOn, now, doc }) {
  const group = result.group === null ? null : groupOf(dept.config, result.group);
  const groupName = group === null ? '' : i18n.text(group.names);
  parts['ticket-group'].replaceChildren(...(group === null ? [] : [groupIcon(doc, group.icon), el('span', { text: groupName })]));
  parts['ticket-group'].hidden = group === null;
  const department = group === null ? i18n.text(dept.config.names)
    : i18n.t('ticket.department-group', { department: i18n.text(dept.config.names), group: groupName });
  const ahead = result.ahead === 0 ? i18n.t('ticket.next') : i18n.t('ticket.ahead', { count: result.ahead });
  const taken = now();
  const wait = dept.estimate({ ahead: result.ahead, now: taken });
  const waitText = wait === null ? '' : i18n.t('ticket.estimate', { count: roundedMinutes(wait) });
  parts['ticket-facility'].textContent = i18n.text(facilityNames);
  parts['ticket-number'].textContent = String(result.number);
  parts['ticket-department'].textContent = i18n.text(dept.config.names);
  parts['ticket-ahead'].textContent = ahead;
  parts['ticket-wait'].textContent = waitText;
  parts['ticket-wait'].hidden = wait === null;
  parts['ticket-date'].textContent = i18n.date(taken, timeZone);
  parts['ticket-time'].textContent = i18n.t('ticket.taken-at', { time: i18n.time(taken, timeZone) });
  paint(parts.ticket, dept.config.colour, textColourOn(dept.config.colour));
  return i18n.t('ticket.announce', { number: result.number, department, ahead, wait: waitText }).trim();
}

/** A department's card: its name, how many wait (or why it takes no tickets now), the estimate. */
function renderCard(dept, { card, name, status, estimate, button }, i18n, now) {
  const { queue, asleep, known, status: reach } = dept.view();
  // With a facility hub, a department out of reach takes no tickets: the kiosk sends people
  // to the desk rather than hand out a number it cannot guarantee.
  const unreachable = reach !== 'online' && reach !== 'connecting';
  // Nor while a device is still connecting for the first time: a tap could only be refused.
  const waiting = reach === 'connecting' && !known;
  setText(name, i18n.text(dept.config.names));
  setText(button, i18n.t('customer.take'));
  setText(status, unreachable ? i18n.t('customer.offline')
    : asleep ? i18n.t('customer.asleep')
      : known ? i18n.t('waiting.people', { count: queue.length }) : i18n.t('common.connecting'));
  button.disabled = unreachable || waiting;
  card.classList.toggle('asleep', asleep);
  card.classList.toggle('offline', unreachable);
  const wait = asleep || !known || unreachable ? null : dept.estimate({ ahead: queue.length, now: now() });
  setText(estimate, wait === null ? '' : i18n.t('customer.estimate', { count: roundedMinutes(wait) }));
  estimate.hidden = wait === null;
}

/** A call the facility hub could not answer (out of reach, or this device needs the update). */
const hubUnreachable = (error) => ['offline', 'needs_update', 'not_configured'].includes(error.code);
