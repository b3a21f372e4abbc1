// The customer screen's comings and goings, without the DOM: the start screen or a ticket, the
// language a customer picked, and when the screen goes back to the start (and the facility's
// default language) so the next customer neither sees the previous one's ticket nor has to
// find their own language again.
//
// Back to the start:
//   - after a ticket, `ticketMs` later, or at once on the next tap outside the ticket;
//   - after a customer picked another language and then left without taking a ticket,
//     `ticketMs` after the last touch or key press.
// Keyboard activity pushes the deadline back rather than dismissing the ticket, so someone
// moving through the ticket with a screen reader is not cut off (WCAG 2.2.1).
//
// Time is passed in (`now`, ms), so Node tests step through it; the view owns the timer.

export class CustomerFlow {
  #defaultLanguage;
  #ticketMs;
  screen = 'start';
  language;
  /** When the screen goes back to the start, or null when it stays as it is. */
  deadline = null;

  constructor({ defaultLanguage, ticketMs }) {
    this.#defaultLanguage = defaultLanguage;
    this.#ticketMs = ticketMs;
    this.language = defaultLanguage;
  }

  get defaultLanguage() {
    return this.#defaultLanguage;
  }

  /**
   * The facility's settings changed: the start screen's language, the languages `offered` and
   * how long a ticket stays from now on. A ticket on screen keeps its deadline; a start screen
   * in the old default language goes to the new one, and so does a language no longer offered.
   */
  configure({ defaultLanguage, ticketMs, offered }) {
    const wasDefault = this.screen === 'start' && this.language === this.#defaultLanguage;
    if (wasDefault || !offered.includes(this.language)) this.language = defaultLanguage;
    this.#defaultLanguage = defaultLanguage;
    this.#ticketMs = ticketMs;
  }

  /** A customer picked `language`. A ticket on screen goes first: it was the previous customer's. */
  choose(language, now) {
    if (this.screen === 'ticket') this.backToStart();
    this.language = language;
    this.deadline = language === this.#defaultLanguage ? null : now + this.#ticketMs;
  }

  /** A ticket is on screen (in the language it was taken in). */
  ticketShown(now) {
    this.screen = 'ticket';
    this.deadline = now + this.#ticketMs;
  }

  /**
   * A tap (a click). Outside the ticket it ends a ticket at once: returns true when the
   * screen went back to the start. On the ticket, or on the start screen, it only counts as
   * activity.
   */
  tap(now, { onTicket = false } = {}) {
    if (this.screen === 'ticket' && !onTicket) {
      this.backToStart();
      return true;
    }
    this.activity(now);
    return false;
  }

  /** A key press or a tap that changes nothing: someone is still here. */
  activity(now) {
    if (this.deadline !== null) this.deadline = Math.max(this.deadline, now + this.#ticketMs);
  }

  /** Called when the timer fires: goes back to the start if the deadline has passed. */
  tick(now) {
    if (this.deadline === null || now < this.deadline) return false;
    this.backToStart();
    return true;
  }

  backToStart() {
    this.screen = 'start';
    this.language = this.#defaultLanguage;
    this.deadline = null;
  }
}
