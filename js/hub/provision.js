// Sets a facility's hub up: the stream of operations, the snapshot bucket and the bucket of the
// saved configuration. Run once per account with credentials that may manage JetStream (the
// `admin` user of hub/accounts.conf; `make hub` runs it through scripts/hub-provision.mjs).
// Devices never create anything: their credentials cannot (hub/accounts.conf), so a
// misconfigured page cannot change the hub.
import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { STREAM, BUCKET, CONFIG_BUCKET, MAX_PAYLOAD } from './protocol.js';

/** How long the hub remembers a msgID to store a retried publish once (ns): far above a call's timeout. */
const DUPLICATE_WINDOW_NS = 2 * 60 * 1_000_000_000;

/**
 * Creates the stream and the buckets if they are missing (and sets the stream's settings if it
 * exists). `replicas`: 1 for one server, 3 for a three-node cluster. Returns what it did.
 */
export async function provision(connection, { replicas = 1 } = {}) {
  const jsm = await jetstreamManager(connection);
  const settings = {
    name: STREAM,
    description: 'take-a-number-deluxe: every department\'s operations, in order',
    subjects: ['tan.ops.>'],
    storage: 'file',
    num_replicas: replicas,
    retention: 'limits',
    discard: 'new',
    duplicate_window: DUPLICATE_WINDOW_NS,
    max_msg_size: MAX_PAYLOAD + 1024,
    // The record is the history: no message is ever taken out of it one by one.
    deny_delete: true,
    allow_direct: true,
  };
  let stream;
  try {
    await jsm.streams.info(STREAM);
    await jsm.streams.update(STREAM, settings);
    stream = 'updated';
  } catch (error) {
    if (!/not found/i.test(error?.message ?? '')) throw error;
    await jsm.streams.add(settings);
    stream = 'created';
  }
  const bucket = await ensureBucket(jsm, connection, BUCKET, {
    description: 'take-a-number-deluxe: one snapshot per department',
    replicas,
  });
  // Each saved version is a key of its own, so the history is the keys: one value per key.
  const config = await ensureBucket(jsm, connection, CONFIG_BUCKET, {
    description: 'take-a-number-deluxe: the facility\'s saved configuration, one key per version',
    replicas,
  });
  return { stream, bucket, config };
}

/** Creates key-value bucket `name` unless it exists; returns 'created' or 'exists'. */
async function ensureBucket(jsm, connection, name, { description, replicas }) {
  try {
    await jsm.streams.info(`KV_${name}`);
    return 'exists';
  } catch (error) {
    if (!/not found/i.test(error?.message ?? '')) throw error;
  }
  // Direct gets: any replica answers a read, and the devices' permissions name those subjects.
  await new Kvm(connection).create(name, { description, history: 1, replicas, storage: 'file', allow_direct: true });
  return 'created';
}
