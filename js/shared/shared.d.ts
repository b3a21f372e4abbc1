import type { MachineState, MachineErrorCode, CounterTicket, TransferredTicket, WaitingTicket, CallPick } from './take_a_number_deluxe.js';

/** What happened to a shared machine, as its record's `apply` sees it, in the order applied. */
export type SharedEvent =
  | { type: 'take'; number: number; group: string | null; at: number }
  | ({ type: 'call'; pick: 'next' | 'group' | 'number'; data: unknown; at: number } & CounterTicket)
  | ({ type: 'recall' | 'finish' | 'no-show' | 'park' | 'unpark'; data: unknown; at: number } & CounterTicket)
  | ({ type: 'transfer'; to: string; data: unknown; at: number } & TransferredTicket)
  | { type: 'arrive'; number: number; group: string | null; taken: number; from: string; key: string; at: number }
  | { type: 'serve'; number: number; priority: number | null; data: unknown; at: number }
  | { type: 'reset'; at: number }
  /** The daily opening cleared the queue (`waiting: 'clear'`), as of the opening's time. */
  | { type: 'reset'; reason: 'opening'; at: number }
  /** The daily opening kept the waiting tickets (`waiting: 'keep'`). */
  | { type: 'opening'; at: number }
  | { type: 'wake'; at: number }
  | { type: 'shutdown'; at: number }
  | { type: 'note'; data: unknown; at: number };

/**
 * What an application keeps beside the queue, changed with it in one step (the number being
 * served, say). Every window must pass the same hooks: whichever hosts the machine applies them.
 */
export interface SharedRecord<R> {
  /** The record of a new machine. */
  initial(): R;
  /** The record after `event`; must not modify `record`, and must be structured-cloneable. */
  apply(record: R, event: SharedEvent): R;
  /** Whether a stored value is a record this application can use (stored data is untrusted). */
  check(record: unknown): boolean;
  /**
   * Hub mode only, optional: the department's public summary in `state` (plain JSON data, a pure
   * function of the state, so every device writes the same bytes), which the devices that may
   * write keep in the hub's bucket `tan-public` for the phones that follow a ticket.
   */
  summary?(state: SharedState<R> & { seq: number; at: number }, department: string): unknown;
}

/** A notice for staff, kept in the record and shown by every window. */
export interface SharedNotice {
  /** Milliseconds since the epoch. */
  at: number;
  text: string;
}

/** What every window knows of the machine, after each change. */
export interface SharedState<R> {
  /** Grows with every change; a window ignores states older than the one it has. */
  seq: number;
  /** Grows each time another window takes over hosting. */
  epoch: number;
  /** Switched off after `autoShutdownTimeout` idle milliseconds (until the next take, serve, reset or wake). */
  asleep: boolean;
  /** The waiting numbers, front first. */
  queue: number[];
  record: R;
  notices: SharedNotice[];
  minNumber: number;
  maxNumber: number;
  autoShutdownTimeout: number;
  /** When the machine last got a message (ms since the epoch; 0 if never). */
  lastActivity: number;
  /**
   * A configuration of another range that applies once the waiting tickets fit it (once the
   * queue is empty, reset or switched off), or null. `minNumber`/`maxNumber` are the range the
   * numbers are handed out from now.
   */
  pending: DepartmentConfig | null;
  /** The latest operations refused (another configuration, other rules), latest first: for staff. */
  refusals: Refusal[];
  /** Who waits in which group, who is at which counter, who is parked, and the group served next. */
  desk: Desk;
  /** The record's daily opening, or null without one. */
  opening: DailyOpening | null;
  /** When the next opening falls (ms since the epoch), or null without one. */
  nextOpening: number | null;
  /** When the last one fell, or null. */
  lastOpening: number | null;
}

/** A department's tickets beyond the queue: its groups' lines, its counters, its parked tickets. */
export interface Desk {
  /** Every waiting ticket, in the order they joined (each group's own order is its serve order). */
  waiting: WaitingTicket[];
  serving: CounterTicket[];
  parked: CounterTicket[];
  /** The group the next call serves, or null when nobody waits. */
  nextGroup: string | null;
}

/**
 * A department's daily opening: every day at `time` ("HH:MM", or "HH:MM:SS") on the wall clocks
 * of `timeZone` (an IANA name), by the log's clock, the tickets still waiting are cleared
 * (`clear`, the default) or carried into the new day (`keep`). A time the clocks skip that day
 * falls later by the gap; one they repeat, on the first.
 */
export interface DailyOpening {
  time: string;
  timeZone: string;
  waiting?: 'clear' | 'keep';
}

/** A department's configuration: what `configure()` sets and every operation declares. */
export interface DepartmentConfig {
  minNumber: number;
  maxNumber: number;
  /** Idle milliseconds before it switches itself off (`Infinity`, the default, for never). */
  autoShutdownTimeout?: number;
  /** The groups a ticket may carry (letters, digits, `.`, `-`, `_`), in a strict order's order. Default `['default']`. */
  groups?: string[];
  /** `'strict'` (default) or `'ratio'` by `weights` (one integer from 1 to 1000 per group). */
  order?: 'strict' | 'ratio';
  weights?: number[] | null;
  /** Where a ticket transferred in joins: `'back'` (default) or by the time it was first `'taken'`. */
  placement?: 'back' | 'taken';
  /** Calls a ticket must have had before a no-show (1 to 100; default 1). */
  callsBeforeNoShow?: number;
  /**
   * The daily opening, set by configure() (the record's alone: operations that declare another,
   * or none, are not refused for it). None when left out or null.
   */
  opening?: DailyOpening | null;
}

/** An operation the record refused. `config` as JSON carries it (a timeout of never is null). */
export interface Refusal {
  at: number;
  kind: string;
  rules: string;
  config: { minNumber: number; maxNumber: number; autoShutdownTimeout: number | null; opening?: DailyOpening } | null;
  code: string;
}

/** What `configure()` resolves with: whether the new range applies already, and how many tickets wait. */
export interface Configured {
  applied: boolean;
  waiting: number;
}

/** The saved state of an earlier version to start from when nothing is stored yet. */
export interface SharedSeed<R> {
  queue?: number[];
  record?: R;
  /** A notice for staff (say, why an old save could not be used). */
  notice?: string;
  /** Called once the shared record holds the seed (remove the old save here). */
  commit?(): void;
}

export interface SharedMachineOptions<R = null> extends DepartmentConfig {
  /** Windows that open the same name share one machine: letters, digits, `.`, `-`, `_`. */
  name: string;
  record?: SharedRecord<R>;
  seed?: () => SharedSeed<R> | null;
}

/** The error codes a shared machine can reject with: the Machine's, and three of its own. */
export type SharedMachineErrorCode = MachineErrorCode | 'closed' | 'configuration_mismatch' | 'unsupported';

export interface SharedMachineError extends Error {
  name: 'MachineError';
  code: SharedMachineErrorCode;
}

/** Where the host keeps snapshots (IndexedDB by default). */
export interface SnapshotStore {
  load(name: string): Promise<unknown>;
  save(name: string, value: unknown): Promise<void>;
  close(): void;
}

/**
 * One running Machine per name for all the windows of a browser profile, with the Machine's
 * promise API. Call `init()` of the main entry first.
 *
 * ```js
 * import init from 'take-a-number-deluxe';
 * import { SharedMachine } from 'take-a-number-deluxe/shared';
 * await init();
 * const m = new SharedMachine({ name: 'pharmacy', minNumber: 100, maxNumber: 199 });
 * await m.queueNewNumber(); // the same sequence in every window
 * ```
 */
export class SharedMachine<R = null> {
  constructor(options: SharedMachineOptions<R>, deps?: { store?: SnapshotStore });
  queueNewNumber(): Promise<number>;
  serveNextQueuedNumber(priorityNumber?: number, details?: unknown): Promise<number>;
  /** Takes the next number in `options.group` (the first group when absent). */
  takeNumber(options?: { group?: string }): Promise<number>;
  /**
   * Calls a waiting ticket to `counter`: the next in the department's order, or `pick`'s. The
   * counter keeps it until it is finished, a no-show, parked, or replaced by its next call.
   */
  call(counter: string, pick?: CallPick, details?: unknown): Promise<CounterTicket>;
  /** Calls `counter`'s ticket once more. */
  recall(counter: string): Promise<CounterTicket>;
  /** Ends `counter`'s ticket as served. */
  finish(counter: string): Promise<CounterTicket>;
  /** Ends `counter`'s ticket as a no-show: `too_few_calls` before `callsBeforeNoShow` calls. */
  noShow(counter: string): Promise<CounterTicket>;
  /** Sets `counter`'s ticket aside, to come back to the same counter. */
  park(counter: string): Promise<CounterTicket>;
  /** Calls parked ticket `number` back to the counter that parked it. */
  recallParked(number: number): Promise<CounterTicket>;
  reportState(): Promise<MachineState>;
  resetState(): void;
  /** resetState() as a call: resolves once the reset is in the record (as HubMachine's does). */
  reset(): Promise<void>;
  send(message: unknown): void;
  /** Switches a switched-off machine on; nothing happens if it is on. */
  wake(): Promise<void>;
  /** Adds `details` to the record (the record's `apply` gets a `note` event); the queue is untouched. */
  note(details: unknown): Promise<void>;
  /**
   * Sets the record's range and idle timeout (the settings of the facility, once a manager has
   * saved them). The numbers and the record carry on; a range the waiting tickets do not fit
   * applies once the queue is empty. This machine declares the new configuration from then on.
   */
  configure(config: DepartmentConfig): Promise<Configured>;
  /** The configuration this machine's operations declare, without changing the record. */
  useConfiguration(config: DepartmentConfig): void;
  /** Starts the department over, empty, whatever rules its record runs. */
  reclaim(): Promise<void>;
  /** Resolves once this window knows the machine's state. */
  readonly ready: Promise<void>;
  readonly state: SharedState<R> | null;
  readonly alive: boolean;
  /**
   * 'online' until close(), then 'closed': within one browser a call made while no window hosts
   * waits for the next host. (HubMachine's status adds 'connecting', 'offline', 'needs-update'.)
   */
  readonly status: 'online' | 'closed';
  /** Whether this window hosts the machine. */
  readonly isHost: boolean;
  /** Calls `listener` after every change; returns a function that stops it. */
  subscribe(listener: (state: SharedState<R>) => void): () => void;
  /** Leaves; unanswered calls reject with `closed`, and another window takes over hosting. */
  close(): void;
}

/** Snapshots in IndexedDB (the default). */
export class IndexedDbStore implements SnapshotStore {
  constructor(databaseName?: string);
  load(name: string): Promise<unknown>;
  save(name: string, value: unknown): Promise<void>;
  close(): void;
}

/** Snapshots in memory: nothing survives the page. */
export class MemoryStore implements SnapshotStore {
  load(name: string): Promise<unknown>;
  save(name: string, value: unknown): Promise<void>;
  close(): void;
}

/** How long a request waits for its answer before it is sent again (ms). */
export const RETRY_MS: number;

// --- The facility's saved configuration (both stores: LocalSettings here, HubSettings in ./hub) ---

/** One saved version of the facility's configuration. */
export interface SettingsEntry {
  /** 1, 2, 3…: each save is one more than the version it was edited from. */
  version: number;
  /** The config.json shape as saved, without `hub` (each device's own). */
  config: Record<string, unknown>;
  /** Milliseconds since the epoch: the saving window's clock in one browser, the hub's timestamp with a hub. */
  savedAt: number;
  /** The saving device's name, and (with a hub) the account it signed in with; null where not known. */
  by: { device: string | null; account: string | null };
}

/** A version in a history: an entry without its configuration. */
export type SettingsVersion = Pick<SettingsEntry, 'version' | 'savedAt' | 'by'>;

/** The codes a save fails with (`changed` has its own shape). */
export type SettingsErrorCode = 'forbidden' | 'offline' | 'unavailable' | 'closed';

/**
 * What `save` resolves with (it never rejects for these). `changed`: another save got there first,
 * or `base` is not a saved version; nothing was written and `latest` is the newest version.
 */
export type SettingsSaveOutcome =
  | { ok: true; entry: SettingsEntry }
  | { ok: false; code: 'changed'; latest: SettingsEntry | null; message: string }
  | { ok: false; code: SettingsErrorCode; message: string };

/** The facility's saved configuration, one record of versions, as both stores keep it. */
export interface SettingsStore {
  /** The newest version known here (null: none saved yet, or not loaded yet). */
  readonly latest: SettingsEntry | null;
  /** Resolves once the newest version is known, or cannot be reached (then `latest` stays as it was). */
  readonly ready: Promise<void>;
  /** Calls `listener` with every newer version, saved anywhere (here too), within a second; returns unsubscribe. */
  subscribe(listener: (entry: SettingsEntry) => void): () => void;
  /**
   * Saves `config` as version `base + 1` (`base`: the version edited from, 0 when none), never
   * replacing one. Rejects only for arguments of the wrong kind (code `invalid_argument`).
   */
  save(config: Record<string, unknown>, options: { base: number; device?: string | null }): Promise<SettingsSaveOutcome>;
  /** Every version kept, newest first. Rejects with an Error whose `code` is a SettingsErrorCode when it cannot be read. */
  history(): Promise<SettingsVersion[]>;
  /** Version `version`, or null if there is none. Rejects as `history()` does. */
  version(version: number): Promise<SettingsEntry | null>;
  /** Stops following; later calls fail with `closed`. */
  close(): void;
}

/** Where LocalSettings keeps its versions. */
export interface LocalSettingsOptions {
  /** Windows that open the same name share one record (default 'facility'). */
  name?: string;
  indexedDB?: IDBFactory;
  BroadcastChannel?: typeof BroadcastChannel;
  /** The clock `savedAt` is read from (default Date.now). */
  now?: () => number;
}

/**
 * The saved configuration in this browser: IndexedDB, shared by every window (`by.account` is
 * always null). Storage refused: `ready` resolves with nothing, saves fail with `unavailable`.
 */
export const LocalSettings: new (options?: LocalSettingsOptions) => SettingsStore;
export type LocalSettings = SettingsStore;
