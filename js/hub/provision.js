// Sets a facility's hub up: the stream of operations, the snapshot bucket, the bucket of the
// saved configuration and the bucket of the departments' public summaries (what phones follow). Run once per account with credentials that may manage JetStream (the
// `admin` user of hub/accounts.conf; `make hub` runs it through scripts/hub-provision.mjs).
// Devices never create anything: their credentials cannot (hub/accounts.conf), so a
// misconfigured page cannot change the hub.
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { randomId } from '../engine/values.js';
import { checkConfig } from '../engine/options.js';
import { STREAM, BUCKET, subject, encodeOperation, CONFIG_BUCKET, MAX_PAYLOAD, PUBLIC_BUCKET, PUBLIC_SUBJECT } from './protocol.js';

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
  const summaries = await ensurePublicBucket(jsm, connection, replicas);
  return { stream, bucket, config, public: summaries };
}

/**
 * The public summaries' settings. Phones read them with a direct get (allow_direct) and follow
 * them on a core subscription: the stream republishes each summary it stores, in order, to
 * `tan.public.<department>`, so a thousand phones cost the hub a core fan-out, not a thousand
 * consumers. Only the last summary matters (history 1).
 */
const PUBLIC_SETTINGS = {
  allow_direct: true,
  republish: { src: `$KV.${PUBLIC_BUCKET}.>`, dest: `${PUBLIC_SUBJECT}.>` },
};

/**
 * Creates the public bucket, or makes an existing one whose republishing or direct gets differ
 * (provisioned by hand, say) again: nats-server 2.9 cannot change a stream's republish, and the
 * summaries are derived data that the devices write again at the department's next operation or
 * check. Returns 'created', 'recreated' or 'exists'.
 */
async function ensurePublicBucket(jsm, connection, replicas) {
  const name = `KV_${PUBLIC_BUCKET}`;
  let info = null;
  try {
    info = await jsm.streams.info(name);
  } catch (error) {
    if (!/not found/i.test(error?.message ?? '')) throw error;
  }
  if (info !== null) {
    const { republish, allow_direct: direct } = info.config;
    if (direct === true && republish?.src === PUBLIC_SETTINGS.republish.src && republish?.dest === PUBLIC_SETTINGS.republish.dest
      && !republish.headers_only) return 'exists';
    await jsm.streams.delete(name);
  }
  await new Kvm(connection).create(PUBLIC_BUCKET, {
    description: 'take-a-number-deluxe: each department\'s public summary, for the phones that follow a ticket',
    history: 1, replicas, storage: 'file', ...PUBLIC_SETTINGS,
  });
  return info === null ? 'created' : 'recreated';
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

/**
 * Gives each of `departments` (`{ id, minNumber, maxNumber, autoShutdownTimeout, opening?, ...queue rules }`:
 * its id and the engine configuration its devices declare, checkConfig's; the kiosk's
 * engineConfig, www/js/model/queue-rules.js, makes it from config.json) its first configuration under `rules`, as a manager's device would, unless its
 * record has had one already. So a new facility's kiosks work before anyone has opened the
 * settings view, and a department's settings, once given, stay the manager's: running this again
 * changes no configured department. Needs the credentials provision() needs (it reads the
 * stream to find a department's configure), as `make hub` runs both. Returns the ids of the
 * departments it configured.
 */
export async function configureNew(connection, departments, { rules }) {
  const jsm = await jetstreamManager(connection);
  const js = jetstream(connection);
  const configured = [];
  for (const { id, autoShutdownTimeout, ...rest } of departments) {
    const config = checkConfig({ ...rest, autoShutdownTimeout: autoShutdownTimeout ?? Infinity });
    // nats.js answers null for a subject with no message.
    if (await jsm.streams.getMessage(STREAM, { last_by_subj: subject(id, 'configure') }) !== null) continue;
    const opId = randomId();
    await js.publish(subject(id, 'configure'), encodeOperation({ id: opId, rules, config }), { msgID: opId });
    configured.push(id);
  }
  return configured;
}
