// When the follow page alerts its customer: once when few enough are ahead, once when called.
// DOM-free; the page keeps the state per ticket (in the phone's storage, so a reload neither
// repeats an alert nor loses one) and gives each alert to signals.js.

/** No alert given yet for a ticket. `far`: it has been seen with more than `alertAhead` ahead. */
export const NO_ALERTS = Object.freeze({ far: false, near: false, called: false });

/**
 * `{ state, alerts }` after a new status (ticket-status.js) of a ticket whose alerts were
 * `state`: `alerts` lists what to tell now, `{ kind: 'near', ahead }` or `{ kind: 'called',
 * counter }`. "Near" fires only on the way in, when the ticket was first seen further back:
 * a customer who takes a ticket with two ahead already reads it on the screen in their hand.
 * A call skips the near alert that did not fire before it.
 */
export function alertsFor(state, current, alertAhead) {
  const next = { ...NO_ALERTS, ...state };
  const alerts = [];
  if (current.status === 'waiting') {
    if (current.ahead > alertAhead) next.far = true;
    else if (next.far && !next.near) {
      next.near = true;
      alerts.push({ kind: 'near', ahead: current.ahead });
    }
  } else if (current.status === 'called' && !next.called) {
    next.called = true;
    next.near = true;
    alerts.push({ kind: 'called', counter: current.counter });
  }
  return { state: next, alerts };
}

/** `value` as a state of alertsFor (a stored one may be anything), or NO_ALERTS. */
export function alertState(value) {
  if (typeof value !== 'object' || value === null) return NO_ALERTS;
  return { far: value.far === true, near: value.near === true, called: value.called === true };
}
