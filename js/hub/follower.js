// Following one department's operations on the stream, in order, and noticing when that stops.
//
// The library's ordered consumer re-creates itself across reconnects, but a consumer whose
// cluster node died goes quiet without closing, and the library backs off while a cluster
// elects. So the follower watches the consumer's heartbeats: after two missed ones it says the
// department is adrift (not following: the hub may answer, but this device cannot see its
// record) and follows again, from the last operation applied, on a consumer of its own making.
import { STREAM, subject } from './protocol.js';

/**
 * Stops following and deletes the consumer on the hub: left there, each would stay until the
 * library's 5 minutes of inactivity, one per department per console lock or reconnection. A
 * delete that fails (the hub out of reach, the connection closing) leaves it to that timeout.
 */
function stopFollowing(messages, consumer) {
  messages.stop();
  Promise.resolve().then(() => consumer.delete()).catch(() => {});
}

export class Follower {
  #hub;
  #name;
  #from; // () => the stream sequence of the last operation applied
  #prepare; // async () => run once before the first consumer (loading the snapshot)
  #on; // { arrived(), caughtUp(), adrift(), notice(text) }

  #prepared = false;
  #messages = null;
  #consumer = null; // the hub's consumer behind #messages
  #generation = 0; // counts the consumers made: deliveries of an older one are dropped
  #inbox = [];
  #adrift = false;
  #closed = false;

  constructor({ hub, name, from, prepare, on }) {
    this.#hub = hub;
    this.#name = name;
    this.#from = from;
    this.#prepare = prepare;
    this.#on = on;
  }

  /** Whether the stream is not being followed right now (its consumer was lost, a new one is not there yet). */
  get adrift() {
    return this.#adrift;
  }

  /** The messages delivered since the last call, in stream order. */
  take() {
    return this.#inbox.splice(0);
  }

  /** Prepares, then follows the stream from after the last operation applied; retries until it works or close(). */
  async start() {
    for (let attempt = 0; !this.#closed; attempt++) {
      try {
        if (!this.#prepared) {
          await this.#prepare();
          this.#prepared = true;
        }
        await this.#follow();
        return;
      } catch (error) {
        if (this.#closed) return;
        this.#on.notice(`cannot follow the hub yet (${error?.message ?? error}); trying again`);
        await new Promise((resolve) => { this.#hub.timers.setTimeout(resolve, Math.min(5000, 250 * 2 ** attempt)); });
      }
    }
  }

  /** Drops the current consumer and follows the stream again from the last operation applied. */
  refollow() {
    if (this.#messages === null || this.#closed) return; // not following yet: start() is at it
    this.#unfollow();
    this.#generation += 1;
    this.#inbox = []; // the new consumer delivers them again, in order
    this.#setAdrift(true);
    this.start();
  }

  close() {
    this.#closed = true;
    this.#unfollow();
  }

  async #follow() {
    const consumer = await this.#hub.jetstream.consumers.get(STREAM, {
      filter_subjects: subject(this.#name, '>'),
      opt_start_seq: this.#from() + 1,
    });
    if (this.#closed) return;
    const info = await consumer.info(true);
    const generation = ++this.#generation;
    const messages = await consumer.consume({
      max_messages: 1000,
      // Heartbeats every second (half of expires): a consumer lost with a cluster node is
      // noticed within about 2 s (two missed) and made again; a pull every 2 s is nothing to a hub.
      expires: 2000,
      callback: (message) => {
        if (generation !== this.#generation) return;
        this.#inbox.push(message);
        this.#on.arrived();
      },
    });
    if (this.#closed) {
      stopFollowing(messages, consumer);
      return;
    }
    this.#messages = messages;
    this.#consumer = consumer;
    this.#setAdrift(false);
    this.#watchHeartbeats(messages);
    if (info.num_pending === 0) this.#on.caughtUp();
    // If the library gives up on the consumer, follow again from the last operation applied.
    messages.closed().then(() => {
      if (this.#closed || this.#messages !== messages) return;
      this.#messages = null;
      this.#setAdrift(true);
      this.start();
    });
  }

  async #watchHeartbeats(messages) {
    try {
      for await (const event of messages.status()) {
        if (this.#closed || this.#messages !== messages) return;
        if (event.type === 'heartbeats_missed') {
          this.refollow();
          return;
        }
      }
    } catch {
      // the consumer ended: closed() above follows again
    }
  }

  #setAdrift(adrift) {
    if (this.#adrift === adrift) return;
    this.#adrift = adrift;
    this.#on.adrift();
  }

  #unfollow() {
    if (this.#messages === null) return;
    stopFollowing(this.#messages, this.#consumer);
    this.#messages = null;
    this.#consumer = null;
  }
}
