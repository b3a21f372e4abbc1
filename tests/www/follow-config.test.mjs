// config.json's `follow` object (www/js/follow/follow-config.js): its defaults, and each way of
// getting it wrong reported at its field with a text the facility can read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { followConfigOf } from '../../www/js/follow/follow-config.js';
import { english, spanish } from '../support/www-files.mjs';

const hub = { url: 'wss://hub.example:9222' };
const keysOf = (raw) => followConfigOf(raw).problems.map(({ path, key }) => [path.join('.'), key]);

test('without a follow object nothing is offered to phones', () => {
  assert.deepEqual(followConfigOf({ hub }), { config: null, problems: [] });
  assert.deepEqual(followConfigOf({ hub, follow: null }), { config: null, problems: [] });
  assert.deepEqual(followConfigOf(null), { config: null, problems: [] });
});

test('an empty follow object follows the kiosk page and its hub, as the visitor, alerting at 3', () => {
  assert.deepEqual(followConfigOf({ hub, follow: {} }), {
    config: { page: null, urls: ['wss://hub.example:9222'], user: 'visitor', pass: 'visitor', alertAhead: 3 },
    problems: [],
  });
  const cluster = { url: ['wss://a.example', 'wss://b.example'] };
  assert.deepEqual(followConfigOf({ hub: cluster, follow: {} }).config.urls, cluster.url);
});

test('a facility names the site and the hub as phones reach them', () => {
  const { config, problems } = followConfigOf({ hub, follow: {
    page: 'https://queue.example/riverside/', hub: ['wss://guest-hub.example:443'], user: 'guest', pass: 'guest-pass', alertAhead: 0,
  } });
  assert.deepEqual(problems, []);
  assert.deepEqual(config, { page: 'https://queue.example/riverside/', urls: ['wss://guest-hub.example:443'], user: 'guest', pass: 'guest-pass', alertAhead: 0 });
  // Plain http and ws only on loopback, where the tests and `make serve` run.
  assert.deepEqual(keysOf({ hub, follow: { page: 'http://127.0.0.1:8080/', hub: 'ws://localhost:9222' } }), []);
});

test('each mistake is reported at its field', () => {
  assert.deepEqual(keysOf({ follow: {} }), [['follow', 'follow.config.no-hub']]);
  assert.deepEqual(keysOf({ hub, follow: 'yes' }), [['follow', 'follow.config.shape']]);
  assert.deepEqual(keysOf({ hub, follow: { page: 'http://queue.example/' } }), [['follow.page', 'follow.config.page']]);
  assert.deepEqual(keysOf({ hub, follow: { page: '/follow' } }), [['follow.page', 'follow.config.page']]);
  assert.deepEqual(keysOf({ hub, follow: { hub: 'ws://hub.example:9222' } }), [['follow.hub', 'follow.config.hub']]);
  assert.deepEqual(keysOf({ hub, follow: { hub: ['wss://a.example', 42] } }), [['follow.hub.1', 'follow.config.hub']]);
  assert.deepEqual(keysOf({ hub, follow: { hub: [] } }), [['follow.hub', 'follow.config.hub']]);
  assert.deepEqual(keysOf({ hub, follow: { hub: 'wss://v:secret@hub.example' } }), [['follow.hub', 'follow.config.hub-credentials']]);
  assert.deepEqual(keysOf({ hub, follow: { user: '' } }), [['follow.user', 'follow.config.user']]);
  assert.deepEqual(keysOf({ hub, follow: { pass: 7 } }), [['follow.pass', 'follow.config.pass']]);
  for (const alertAhead of [-1, 51, 2.5, '3']) {
    assert.deepEqual(keysOf({ hub, follow: { alertAhead } }), [['follow.alertAhead', 'follow.config.alert-ahead']]);
  }
});

test('every problem has its text in English and Spanish', () => {
  const keys = new Set([{ follow: {} }, { hub, follow: 1 }, { hub, follow: { page: 1, hub: 'wss://u:p@h', user: 1, pass: 1, alertAhead: -1 } },
    { hub, follow: { hub: 1 } }].flatMap((raw) => followConfigOf(raw).problems.map((p) => p.key)));
  assert.equal(keys.size, 8);
  for (const key of keys) {
    assert.equal(typeof english[key], 'string', `en.json has ${key}`);
    assert.equal(typeof spanish[key], 'string', `es.json has ${key}`);
  }
});
