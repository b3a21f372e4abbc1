// The follow page's DOM (follow.html): it only shows what follow-page.js gives it. Texts are set
// with textContent, and only when they change, so the live regions announce news, not repeats.
import { setText } from '../views/dom.js';
import { waitMinutes } from './ticket-status.js';

const ENDINGS = {
  served: 'follow.served', missed: 'follow.missed', transferred: 'follow.transferred', reset: 'follow.reset', opening: 'follow.opening',
  closed: 'follow.closed', gone: 'follow.gone',
};
const CONNECTION = { connecting: 'common.connecting', live: 'follow.live', reconnecting: 'follow.reconnecting', unreachable: 'follow.unreachable' };

export class FollowView {
  #doc;
  #get;

  constructor(doc) {
    this.#doc = doc;
    this.#get = (id) => doc.getElementById(id);
  }

  /** The page's language: `lang`, the title, and the fixed texts of follow.html. */
  language(i18n, title) {
    this.#doc.documentElement.lang = i18n.language;
    this.#doc.title = title;
    for (const node of this.#doc.querySelectorAll('[data-i18n]')) setText(node, i18n.t(node.dataset.i18n));
  }

  /** Why there is no ticket to follow. */
  problem(text) {
    this.#get('starting').hidden = true;
    this.#get('ticket').hidden = true;
    this.#get('alerts').hidden = true;
    this.#get('keep-open').hidden = true;
    setText(this.#get('problem-text'), text);
    this.#get('problem').hidden = false;
    this.#doc.body.dataset.status = 'problem';
  }

  /** The ticket's fixed part: who, where, which number. */
  ticket({ facility, department, colour, number }) {
    setText(this.#get('facility'), facility);
    setText(this.#get('department'), department);
    this.#get('department').parentElement.style.setProperty('--dept-colour', colour); // CSSOM: allowed by the CSP
    setText(this.#get('number'), String(number));
    this.#get('starting').hidden = true;
    this.#get('ticket').hidden = false;
    this.#get('alerts').hidden = false;
    this.#get('keep-open').hidden = false;
  }

  /** Where the ticket stands (ticket-status.js), in `t`'s words; `department` for the texts. */
  status(current, { t, department }) {
    const body = this.#doc.body;
    body.dataset.status = current.status;
    if (current.status === 'waiting') body.dataset.ahead = String(current.ahead);
    else delete body.dataset.ahead;
    const call = this.#get('call');
    if (current.status === 'called') {
      setText(call, current.counter === null ? t('follow.called-here', { department }) : t('follow.called', { counter: current.counter }));
      call.hidden = false;
    } else call.hidden = true;
    let position = '';
    let estimate = '';
    if (current.status === 'waiting') {
      position = current.ahead === 0 ? t('follow.next') : t('follow.ahead', { count: current.ahead });
      const minutes = waitMinutes(current.waitMs);
      if (minutes !== null) estimate = t('follow.estimate', { count: minutes });
    } else if (current.status === 'unknown') position = t('follow.unknown');
    else if (ENDINGS[current.status]) position = t(ENDINGS[current.status], { department });
    setText(this.#get('position'), position);
    setText(this.#get('estimate'), estimate);
    setText(this.#get('now-serving'), current.nowServing === null ? t('follow.now-serving-none')
      : t('follow.now-serving', { number: current.nowServing }));
    // Nothing more will happen to this ticket: no alerts to offer, no page to keep open.
    const ended = Boolean(ENDINGS[current.status]);
    this.#get('alerts').hidden = ended;
    this.#get('keep-open').hidden = ended;
  }

  /** The connection to the queue (queue-feed.js): 'connecting', 'live', … or 'ended'. */
  connection(status, t) {
    this.#doc.body.dataset.connection = status;
    const line = this.#get('connection');
    line.hidden = status === 'ended';
    if (CONNECTION[status]) setText(line, t(CONNECTION[status]));
  }

  /** The alerts button's state: off (with what it would do), or on. */
  alerts({ on, notifications }, t, alertAhead) {
    const button = this.#get('alerts-button');
    button.setAttribute('aria-pressed', String(on));
    this.#doc.body.dataset.alerts = on ? 'on' : 'off';
    const text = !on ? t('follow.alerts-hint', { count: alertAhead })
      : notifications ? t('follow.alerts-on') : t('follow.alerts-no-notifications');
    setText(this.#get('alerts-text'), text);
  }

  /** Calls `handler` when the customer turns alerts on. */
  onAlertsButton(handler) {
    this.#get('alerts-button').addEventListener('click', handler);
  }
}
