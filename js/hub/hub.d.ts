import type { NatsConnection } from '@nats-io/nats-core';
import type { MachineState, MachineErrorCode, CounterTicket, CallPick } from './take_a_number_deluxe.js';
import type { SharedRecord, SharedState, DepartmentConfig, DailyOpening, Configured, SettingsStore } from './shared.js';

export type { SharedEvent, SharedRecord, SharedNotice, DepartmentConfig, DailyOpening, Configured, Refusal, Desk } from './shared.js';
export type { SettingsEntry, SettingsSaveOutcome, SettingsStore, SettingsVersion, SettingsErrorCode } from './shared.js';

/** What every device knows of a department after each change: SharedMachine's state, plus the record's rules. */
export interface HubState<R> extends SharedState<R> {
  /** The stream sequence of the last operation this device applied. */
  seq: number;
  /** The hub's timestamp (ms) of that operation (0 before the first). */
  at: number;
  /** Grows each time the record starts over under new rules or a new configuration. */
  epoch: number;
  /** The rules the record runs (null until a manager's first configure). */
  rules: string | null;
}

export interface HubMachineOptions<R = null> extends DepartmentConfig {
  /** The department: letters, digits, `-` and `_` (it is a token of the hub's subjects). */
  name: string;
  /** Every device of the facility must pass the same hooks. */
  record?: SharedRecord<R>;
  /** Accepted for SharedMachine's sake and not used: the hub's record is the only one. */
  seed?: unknown;
}

/** The codes a hub machine rejects with: the Machine's, and those of the hub. */
export type HubErrorCode = MachineErrorCode | 'closed' | 'configuration_mismatch' | 'offline' | 'forbidden' | 'needs_update' | 'not_configured';

export interface HubError extends Error {
  name: 'MachineError';
  code: HubErrorCode;
}

/** A device's view of one department. */
export type HubMachineStatus = 'connecting' | 'online' | 'offline' | 'needs-update' | 'not-configured' | 'closed';

/** Whether the hub can be reached. */
export type HubStatus = 'online' | 'offline';

export interface HubOptions {
  /** A connected NATS connection (`connect` of @nats-io/transport-node, `wsconnect` of @nats-io/nats-core). */
  connection: NatsConnection;
  /** Milliseconds a call may take to be stored and applied before it fails with `offline` (default 10,000). */
  callTimeout?: number;
  /** The rules this device runs, `major.minor.patch` (default: the package's version). */
  rules?: string;
}

/**
 * A device's link to the facility hub: one connection, any number of departments.
 *
 * ```js
 * import { connect } from '@nats-io/transport-node';
 * import { Hub, CONNECTION_OPTIONS } from 'take-a-number-deluxe/hub';
 * const hub = new Hub({ connection: await connect({ servers: 'hub:4222', user: 'kiosk', pass: '…', ...CONNECTION_OPTIONS }) });
 * const pharmacy = hub.machine({ name: 'pharmacy', minNumber: 100, maxNumber: 199 });
 * await pharmacy.queueNewNumber(); // the same sequence on every device of the facility
 * ```
 */
export class Hub {
  constructor(options: HubOptions);
  machine<R = null>(options: HubMachineOptions<R>): HubMachine<R>;
  readonly status: HubStatus;
  /** Calls `listener` when the status changes; returns a function that stops it. */
  subscribe(listener: (status: HubStatus) => void): () => void;
  /** Closes every department's machine; the connection stays the caller's to close. */
  close(): void;
}

/** One department on the hub, with SharedMachine's API. Made by `hub.machine(options)`. */
export class HubMachine<R = null> {
  constructor(options: HubMachineOptions<R>, deps: { hub: Hub });
  queueNewNumber(): Promise<number>;
  /** `details`: plain JSON data for the record (the counter, say). */
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
  /** As this device has applied it, after every call it made before. */
  reportState(): Promise<MachineState>;
  resetState(): void;
  send(message?: unknown): void;
  wake(): Promise<void>;
  note(details: unknown): Promise<void>;
  /** resetState() as a call: rejects `forbidden` where the hub refuses it. */
  reset(): Promise<void>;
  /**
   * Sets the department's range and idle timeout in its record; only a `manager` account may
   * (others: `forbidden`). A department never configured refuses every other operation with
   * `not_configured`. A range the waiting tickets do not fit applies once the queue is empty.
   */
  configure(config: DepartmentConfig): Promise<Configured>;
  /** The configuration this device's operations declare, without changing the record. */
  useConfiguration(config: DepartmentConfig): void;
  /**
   * Starts the department over, empty, under this device's rules, whatever rules the record
   * runs (staff): how a department given rules no device runs is brought back into service.
   */
  reclaim(): Promise<void>;
  /** Resolves once this device has caught up with the department's record. */
  readonly ready: Promise<void>;
  readonly state: HubState<R> | null;
  readonly alive: boolean;
  /** Always false: the hub holds the record. */
  readonly isHost: boolean;
  readonly status: HubMachineStatus;
  /** The rules this device runs (the record's: `state.rules`). */
  readonly rules: string;
  /** Calls `listener` after every change of the state or of the status. */
  subscribe(listener: (state: HubState<R> | null) => void): () => void;
  close(): void;
}

/**
 * The facility's saved configuration on the hub (the bucket `tan-config`): every device reads it,
 * only the manager's account may save (`forbidden` for the others). `account`: the account this
 * device signed in with, kept with each version it saves.
 */
export const HubSettings: new (options: { hub: Hub; account?: string | null }) => SettingsStore;
export type HubSettings = SettingsStore;

/** Connection options a device should pass to `connect` / `wsconnect`. */
export const CONNECTION_OPTIONS: Readonly<{
  maxReconnectAttempts: number;
  reconnectTimeWait: number;
  reconnectJitter: number;
  pingInterval: number;
  maxPingOut: number;
  waitOnFirstConnect: boolean;
}>;

/** Creates the stream, the snapshot bucket and the configuration bucket on a hub (admin credentials). */
export function provision(connection: NatsConnection, options?: { replicas?: number }): Promise<{ stream: 'created' | 'updated'; bucket: 'created' | 'exists'; config: 'created' | 'exists' }>;

/** The rules this build runs: the package's version. */
export const RULES: string;
export const STREAM: string;
export const BUCKET: string;
/** The key-value bucket of the saved configuration, one key per version. */
export const CONFIG_BUCKET: string;
/** The subject of department `name`'s operations of `kind`. */
export function subject(name: string, kind: string): string;
export const OPS: Readonly<Record<'take' | 'wake' | 'send' | 'tick' | 'serve' | 'priority' | 'reset' | 'note', { wakes: boolean; role: 'kiosk' | 'staff' }>>;
export const HUB_ERRORS: Readonly<Record<'offline' | 'forbidden' | 'needs_update' | 'configuration_mismatch' | 'closed', string>>;
export const SNAPSHOT_EVERY: number;
export const CALL_TIMEOUT_MS: number;
export const WATCH_MS: number;
export const PONG_WAIT_MS: number;
