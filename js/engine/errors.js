// Every error the package's JS layers reject with, and the one shape an answer travels in.
//
// Callers tell failures apart by `code`, never by message: the codes are the API (they are in the
// package's types), the messages are for people. Both logs (the windows of one browser, the
// devices of a hub) answer a call with an outcome, `{ ok: true, value }` or `{ ok: false, code,
// message }`, which is plain data: it crosses a BroadcastChannel or is computed alike on every
// device, and becomes a rejection only at the caller.

/** The codes the department engine adds to the Machine's own, with what each means. */
export const ERRORS = Object.freeze({
  /** The department was closed in this window or device; calls made after, or unanswered, get this. */
  closed: 'the department was closed here',
  /** This window or device runs another range or timeout than the department's record. */
  configuration_mismatch: 'the department runs with another configuration than this window or device',
  /** The browser lacks BroadcastChannel or Web Locks (which need https:// or localhost). */
  unsupported: 'this browser cannot share a machine between windows',
  /** The hub cannot be reached; nothing was handed out (an operation may still apply later). */
  offline: 'the hub cannot be reached: nothing was handed out',
  /** The hub refused these credentials: a wrong password, or an account it no longer has. */
  refused: 'the hub refused these credentials',
  /** The hub refused: these credentials may not do this (a kiosk serving, a board taking). */
  forbidden: 'the hub does not allow this device to do that',
  /** No configuration has been saved for the department on the hub yet: a manager's configure sets it. */
  not_configured: 'the department has no configuration yet: a manager must save the facility\'s settings',
  /** The record runs other rules than this device's (or this device's are not the record's). */
  needs_update: 'the department runs other rules than this device: it needs the update',
  /** Options the department cannot start with. */
  invalid_configuration: 'invalid configuration',
  /** An argument of the wrong kind: nothing was done. */
  invalid_argument: 'invalid argument',
});

/** An Error like the Machine's own: `name` 'MachineError' and a stable `code`. */
export function machineError(code, message = ERRORS[code] ?? code) {
  const error = new Error(message);
  error.name = 'MachineError';
  error.code = code;
  return error;
}

/** A call's answer that succeeded. */
export const ok = (value) => ({ ok: true, value });

/** A call's answer that failed: `message` defaults to what the code means. */
export const failed = (code, message = ERRORS[code] ?? code) => ({ ok: false, code, message });

/** The outcome of a thrown error (a MachineError keeps its code; anything else is `unknown`). */
export const failedWith = (error) => failed(error?.code ?? 'unknown', error?.message ?? String(error));

/** Whether `value` has the shape of an outcome (it may come from another window). */
export function isOutcome(value) {
  if (typeof value !== 'object' || value === null) return false;
  return value.ok === true || (value.ok === false && typeof value.code === 'string' && typeof value.message === 'string');
}

/** The outcome as the caller sees it: the value, or a thrown MachineError. */
export function settle(outcome, { resolve, reject }) {
  if (outcome.ok) resolve(outcome.value);
  else reject(machineError(outcome.code, outcome.message));
}
