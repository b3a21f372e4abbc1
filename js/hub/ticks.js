// A department's idle shutdown and daily opening on a hub. The hub's clock decides them, never a
// device's: every device compares each operation's stream timestamp with the department's
// deadline (js/engine/department.js: the idle deadline or the next opening, whichever is first).
// A tick is the operation that asks: a device publishes one just after the deadline, by its
// estimate of the hub's clock, so that a department nobody touches still switches off, or starts
// its day. An early tick changes nothing; a late one acts as of the deadline.
import { subject, encodeOperation } from './protocol.js';
import { isPermissionError } from './calls.js';
import { longTimeout } from '../engine/timers.js';

/** A tick is sent this long after a department's idle deadline, as this device estimates the hub's clock. */
export const TICK_MARGIN_MS = 100;

/** A tick that came too early (device and hub clocks differ) is sent again after this long. */
export const TICK_RETRY_MS = 1000;

export class IdleTicks {
  #hub;
  #name;
  #config; // () => the configuration this device declares
  #replica; // () => this device's Department (replaced when a snapshot cannot be restored)
  #offset; // () => hub clock minus this device's (ms), or null before the first message
  #canTick = true;
  #cancel = () => {};
  #deadline = null;
  #attempt = 0;
  #closed = false;
  #sent = []; // the ids of the last ticks this device published

  constructor({ hub, name, config, replica, offset }) {
    this.#hub = hub;
    this.#name = name;
    this.#config = config;
    this.#replica = replica;
    this.#offset = offset;
  }

  /** Arms a tick for just after the department's current deadline (after every batch applied). */
  arm() {
    this.#cancel();
    const deadline = this.#replica().deadline;
    const offset = this.#offset();
    if (deadline === null || !this.#canTick || offset === null || this.#closed) return;
    if (deadline !== this.#deadline) {
      this.#deadline = deadline;
      this.#attempt = 0;
    }
    const fireAt = deadline - offset + TICK_MARGIN_MS + this.#attempt * TICK_RETRY_MS;
    this.#cancel = longTimeout(this.#hub.timers, Math.max(0, fireAt - this.#hub.now()), () => this.#tick(deadline));
  }

  close() {
    this.#closed = true;
    this.#cancel();
  }

  /** Whether this device published the tick of id `id` (other devices may have too: one is stored). */
  sent(id) {
    return this.#sent.includes(id);
  }

  async #tick(deadline) {
    const replica = this.#replica();
    if (replica.deadline !== deadline || this.#closed) return;
    // Every device ticking for the same deadline uses the same msgID, so the hub stores one.
    const id = `tick-${this.#name}-${replica.generation}-${deadline}-${this.#attempt}`;
    this.#attempt += 1;
    if (this.#hub.status === 'online') {
      this.#sent = [...this.#sent.slice(-7), id];
      try {
        await this.#hub.jetstream.publish(subject(this.#name, 'tick'),
          encodeOperation({ id, rules: this.#hub.rules, config: this.#config() }), { msgID: id, timeout: 2000 });
      } catch (error) {
        if (isPermissionError(error)) {
          this.#canTick = false; // a board: the kiosk and the counters tick
          return;
        }
      }
    }
    if (this.#replica().deadline === deadline) this.arm();
  }
}
