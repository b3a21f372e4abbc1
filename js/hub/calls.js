// A device's calls to one department on the hub: each is published to the stream and answered
// only when it comes back in stream order and has been applied (machine.js), so its answer is
// the one every device computes for it. Here: publishing until the hub has stored it, and the
// deadline after which the caller hands nothing out.
import { STREAM, subject } from './protocol.js';
import { ERRORS, failed, settle } from '../engine/errors.js';

/** Whether the hub refused what these credentials may not do (NATS's permission violation). */
export const isPermissionError = (error) => error?.name === 'PermissionViolationError' || error?.cause?.name === 'PermissionViolationError';

export class Calls {
  #hub;
  #name;
  #pending = new Map(); // id -> { kind, resolve, reject, answer, timer }, oldest first

  constructor({ hub, name }) {
    this.#hub = hub;
    this.#name = name;
  }

  /** Every unanswered call's answer (settled or not), oldest first. */
  answers() {
    return [...this.#pending.values()].map((entry) => entry.answer);
  }

  /**
   * Publishes operation `id` of `kind` and resolves with its answer. Fails with `offline` if it
   * has not been applied within the hub's call timeout, `forbidden` if the hub refuses it.
   */
  call(kind, id, payload) {
    const entry = { kind };
    entry.answer = new Promise((resolve, reject) => {
      entry.resolve = resolve;
      entry.reject = reject;
    });
    this.#pending.set(id, entry);
    const { callTimeout, timers, now } = this.#hub;
    entry.timer = timers.setTimeout(() => {
      // Not applied in time: the caller hands nothing out. The operation may still be stored and
      // apply later (then every device sees a number nobody was told of, or a serve nobody saw).
      this.#settle(id, entry, failed('offline'));
    }, callTimeout);
    this.#publish(kind, id, payload, now() + callTimeout);
    return entry.answer;
  }

  /** The call waiting for operation `id` of `kind` (just applied), or undefined if none is. */
  waiting(id, kind) {
    const entry = id === undefined ? undefined : this.#pending.get(id);
    return entry?.kind === kind ? entry : undefined;
  }

  /** Answers the call `entry` with `outcome`, unless it was answered already. */
  answer(id, entry, outcome) {
    this.#settle(id, entry, outcome);
  }

  /** Answers every unanswered call with `outcome` (the department is closing). */
  answerAll(outcome) {
    for (const [id, entry] of this.#pending) this.#settle(id, entry, outcome);
  }

  /** Publishes until the hub acknowledges it (retries are stored once: same msgID) or the call ends. */
  async #publish(kind, id, payload, deadline) {
    const { jetstream, timers, now } = this.#hub;
    for (let attempt = 0; this.#pending.has(id); attempt++) {
      try {
        await jetstream.publish(subject(this.#name, kind), payload, {
          msgID: id,
          expect: { streamName: STREAM },
          timeout: Math.max(1, Math.min(2000, deadline - now())),
        });
        return; // stored: the answer comes when it is applied
      } catch (error) {
        const entry = this.#pending.get(id);
        if (entry === undefined) return;
        if (isPermissionError(error)) {
          this.#settle(id, entry, failed('forbidden', `${ERRORS.forbidden} (${kind})`));
          return;
        }
        if (now() >= deadline) return; // the call's timer says offline
        await new Promise((resolve) => { timers.setTimeout(resolve, Math.min(1000, 50 * 2 ** attempt)); });
      }
    }
  }

  #settle(id, entry, outcome) {
    if (this.#pending.get(id) !== entry) return;
    this.#pending.delete(id);
    this.#hub.timers.clearTimeout(entry.timer);
    settle(outcome, entry);
  }
}
