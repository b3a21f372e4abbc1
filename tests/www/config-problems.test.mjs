// Every problem of a configuration at once, each at its field, in English and Spanish
// (www/js/model/config.js, config-reading.js): what the Settings view shows next to each field
// and what keeps a broken config.json from being used; and a configuration written back in
// config.json's shape (toRaw) reads back the same.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig, problems, validate } from '../../www/js/model/config.js';
import { toRaw } from '../../www/js/model/config-raw.js';
import { Translator } from '../../www/js/language/messages.js';
import { english, shipped, spanish } from '../support/www-files.mjs';

const translators = [english, spanish].map((messages) => new Translator({
  language: messages === english ? 'en' : 'es',
  messages,
  fallback: english,
  onMissing: (key) => assert.fail(`${key} is missing from a language file`),
}));

/** The shipped config.json with `change(config, departments)` made to a copy, or what it returns. */
const broken = (change) => {
  const config = structuredClone(shipped);
  const instead = change(config, config.departments);
  return instead === undefined ? config : instead;
};

const seat = (found) => found.map(({ path, key }) => [path, key]);

// [what is wrong, the change, the field it is shown at, the key of its text]
const ONE_PROBLEM = [
  ['not an object', () => null, [], 'not-object'],
  ['an empty facility name', (c) => { c.facility = '  '; }, ['facility'], 'text-empty'],
  ['a facility name with no text in the default language', (c) => { c.facility = { es: 'Centro' }; }, ['facility', 'en'], 'no-default-text'],
  ['an empty Spanish facility name', (c) => { c.facility = { en: 'Centre', es: ' ' }; }, ['facility', 'es'], 'text-empty-in'],
  ['an unknown default language', (c) => { c.language = 'Spanish'; }, ['language'], 'language'],
  ['an unknown language offered', (c) => { c.languages = ['en', 'english']; }, ['languages'], 'languages'],
  ['languages as one text', (c) => { c.languages = 'en,es'; }, ['languages'], 'languages'],
  ['the default language not offered', (c) => { c.languages = ['es']; }, ['languages'], 'default-not-offered'],
  ['a language offered twice', (c) => { c.languages = ['en', 'es', 'en']; }, ['languages'], 'language-twice'],
  ['calls said in no language', (c) => { c.callOutLanguages = []; }, ['callOutLanguages'], 'call-out'],
  ['calls said in one text', (c) => { c.callOutLanguages = 'en,es'; }, ['callOutLanguages'], 'call-out'],
  ['calls said in a language twice', (c) => { c.callOutLanguages = ['es', 'es']; }, ['callOutLanguages'], 'call-out'],
  ['calls said in a language not offered', (c) => { c.callOutLanguages = ['en', 'fr']; }, ['callOutLanguages'], 'call-out'],
  ['ticketSeconds 4', (c) => { c.ticketSeconds = 4; }, ['ticketSeconds'], 'ticket-seconds'],
  ['ticketSeconds 601', (c) => { c.ticketSeconds = 601; }, ['ticketSeconds'], 'ticket-seconds'],
  ['ticketSeconds 2.5', (c) => { c.ticketSeconds = 2.5; }, ['ticketSeconds'], 'ticket-seconds'],
  ['ticketSeconds "20"', (c) => { c.ticketSeconds = '20'; }, ['ticketSeconds'], 'ticket-seconds'],
  ['a time zone that does not exist', (c) => { c.timeZone = 'Mars/Olympus_Mons'; }, ['timeZone'], 'time-zone'],
  ['an opening as a text', (c) => { c.opening = '07:30'; }, ['opening'], 'opening'],
  ['an opening at 7:30', (c) => { c.opening = { time: '7:30', timeZone: 'Europe/Madrid' }; }, ['opening', 'time'], 'opening-time'],
  ['an opening at 24:00', (c) => { c.opening = { time: '24:00', timeZone: 'Europe/Madrid' }; }, ['opening', 'time'], 'opening-time'],
  ['an opening in no time zone', (c) => { c.opening = { time: '07:30' }; }, ['opening', 'timeZone'], 'opening-time-zone'],
  ['an opening that drops the tickets', (c) => { c.opening = { time: '07:30', timeZone: 'UTC', waiting: 'drop' }; }, ['opening', 'waiting'], 'opening-waiting'],
  ['staff as a list', (c) => { c.staff = []; }, ['staff'], 'staff'],
  ['a staff PIN hash', (c) => { c.staff.pin = { hash: 'd34e' }; }, ['staff', 'pin'], 'staff-pin'],
  ['lockAfterSeconds 0', (c) => { c.staff.lockAfterSeconds = 0; }, ['staff', 'lockAfterSeconds'], 'lock-after'],
  ['printing as a text', (c) => { c.printing = '80mm'; }, ['printing'], 'printing'],
  ['a paper this page does not know', (c) => { c.printing = { paper: 'A4' }; }, ['printing', 'paper'], 'paper'],
  ['automatic printing as a text', (c) => { c.printing = { paper: '58mm', auto: 'yes' }; }, ['printing', 'auto'], 'print-auto'],
  ['a hub that is a text', (c) => { c.hub = 'wss://hub.example:9222'; }, ['hub'], 'hub'],
  ['a hub url over http://', (c) => { c.hub = { url: 'http://hub.example:9222' }; }, ['hub', 'url'], 'hub-url'],
  ['a hub url with credentials', (c) => { c.hub = { url: 'wss://kiosk:secret@hub.example:9222' }; }, ['hub', 'url'], 'hub-url-credentials'],
  ['an empty list of hub urls', (c) => { c.hub = { url: [] }; }, ['hub', 'url'], 'hub-url'],
  ['one bad node of a hub cluster', (c) => { c.hub = { url: ['wss://a.example', 'b.example'] }; }, ['hub', 'url', 1], 'hub-url'],
  ['no departments', (c) => { c.departments = []; }, ['departments'], 'departments'],
  ['departments missing', (c) => { delete c.departments; }, ['departments'], 'departments'],
  ['a department that is not an object', (c, d) => { d[1] = null; }, ['departments', 1], 'department'],
  ['an id used twice', (c, d) => { d[2].id = 'reception'; }, ['departments', 2, 'id'], 'id-twice'],
  ['a bad id', (c, d) => { d[1].id = 'Pharmacy!'; }, ['departments', 1, 'id'], 'id'],
  ['a missing name', (c, d) => { delete d[0].name; }, ['departments', 0, 'name'], 'name-missing'],
  ['a name as a list', (c, d) => { d[0].name = ['Reception']; }, ['departments', 0, 'name'], 'text-shape'],
  ['an empty name', (c, d) => { d[0].name = ''; }, ['departments', 0, 'name'], 'text-empty'],
  ['an empty Spanish name', (c, d) => { d[2].name.es = ''; }, ['departments', 2, 'name', 'es'], 'text-empty-in'],
  ['a name in no language', (c, d) => { d[0].name.Spanish = 'Recepción'; }, ['departments', 0, 'name', 'Spanish'], 'text-language'],
  ['a name missing in the default language', (c, d) => { delete d[1].name.en; }, ['departments', 1, 'name', 'en'], 'no-default-text'],
  ['minNumber equal to maxNumber', (c, d) => { d[0].minNumber = 99; }, ['departments', 0, 'minNumber'], 'range-order'],
  ['minNumber above maxNumber', (c, d) => { d[2].minNumber = 300; }, ['departments', 2, 'minNumber'], 'range-order'],
  ['a minNumber that is not whole', (c, d) => { d[0].minNumber = 1.5; }, ['departments', 0, 'minNumber'], 'whole-number'],
  ['a maxNumber as text', (c, d) => { d[0].maxNumber = '99'; }, ['departments', 0, 'maxNumber'], 'whole-number'],
  ['an unsafe maxNumber', (c, d) => { d[0].maxNumber = 2 ** 53; }, ['departments', 0, 'maxNumber'], 'number-too-large'],
  ['a negative autoShutdownTimeout', (c, d) => { d[1].autoShutdownTimeout = -1; }, ['departments', 1, 'autoShutdownTimeout'], 'auto-shutdown'],
  ['a department\'s opening as a list', (c, d) => { d[1].opening = ['08:00']; }, ['departments', 1, 'opening'], 'opening'],
  ['a department\'s opening in a zone that does not exist', (c, d) => { c.opening = { time: '07:30', timeZone: 'UTC' }; d[1].opening = { timeZone: 'Europe/Paris ' }; },
    ['departments', 1, 'opening', 'timeZone'], 'opening-time-zone'],
  ['a colour by name', (c, d) => { d[1].colour = 'red'; }, ['departments', 1, 'colour'], 'colour'],
  ['counters as one text', (c, d) => { d[2].counters = '1, 2'; }, ['departments', 2, 'counters'], 'counters'],
  ['a counter that is not a text', (c, d) => { d[2].counters = ['1', 2]; }, ['departments', 2, 'counters', 1], 'counter-text'],
  ['a counter name too long', (c, d) => { d[2].counters[0] = 'Counter number one'; }, ['departments', 2, 'counters', 0], 'counter'],
  ['a counter listed twice', (c, d) => { d[2].counters = ['1', '2', '1']; }, ['departments', 2, 'counters', 2], 'counter-twice'],
  // The queue rules (the shipped Pharmacy has two groups in a 2:1 ratio, Blood tests two in strict order).
  ['groups as one text', (c, d) => { d[1].groups = 'standard, priority'; }, ['departments', 1, 'groups'], 'groups'],
  ['one group alone', (c, d) => { d[1].groups.pop(); }, ['departments', 1, 'groups'], 'groups'],
  ['17 groups', (c, d) => { d[0].groups = Array.from({ length: 17 }, (_, i) => ({ id: `g${i}`, name: 'G', icon: 'info' })); },
    ['departments', 0, 'groups'], 'groups'],
  ['a group that is not an object', (c, d) => { d[1].groups[1] = 'priority'; }, ['departments', 1, 'groups', 1], 'group'],
  ['a group with a bad id', (c, d) => { d[1].groups[0].id = 'Standard queue'; }, ['departments', 1, 'groups', 0, 'id'], 'id'],
  ['a group listed twice', (c, d) => { d[2].groups[1].id = 'priority'; }, ['departments', 2, 'groups', 1, 'id'], 'group-twice'],
  ['a group without a name', (c, d) => { delete d[2].groups[0].name; }, ['departments', 2, 'groups', 0, 'name'], 'name-missing'],
  ['a group name with no English', (c, d) => { delete d[1].groups[1].name.en; }, ['departments', 1, 'groups', 1, 'name', 'en'], 'no-default-text'],
  ['an empty Spanish group description', (c, d) => { d[1].groups[1].description.es = ' '; },
    ['departments', 1, 'groups', 1, 'description', 'es'], 'text-empty-in'],
  ['a group icon this page does not draw', (c, d) => { d[1].groups[0].icon = 'wheelchair.png'; }, ['departments', 1, 'groups', 0, 'icon'], 'group-icon'],
  ['a group without an icon', (c, d) => { delete d[2].groups[1].icon; }, ['departments', 2, 'groups', 1, 'icon'], 'group-icon'],
  ['a weight of 0', (c, d) => { d[1].groups[0].weight = 0; }, ['departments', 1, 'groups', 0, 'weight'], 'group-weight'],
  ['a weight of 1.5', (c, d) => { d[1].groups[1].weight = 1.5; }, ['departments', 1, 'groups', 1, 'weight'], 'group-weight'],
  ['a weight in a strict order', (c, d) => { d[2].groups[0].weight = 3; }, ['departments', 2, 'groups', 0, 'weight'], 'group-weight'],
  ['an order by name', (c, d) => { d[1].order = 'priority first'; }, ['departments', 1, 'order'], 'order'],
  ['transfers as a text', (c, d) => { d[2].transfers = 'back'; }, ['departments', 2, 'transfers'], 'placement'],
  ['a placement at the front', (c, d) => { d[2].transfers = { placement: 'front' }; }, ['departments', 2, 'transfers'], 'placement'],
  ['callsBeforeNoShow 0', (c, d) => { d[2].callsBeforeNoShow = 0; }, ['departments', 2, 'callsBeforeNoShow'], 'no-show-calls'],
  ['callsBeforeNoShow 101', (c, d) => { d[0].callsBeforeNoShow = 101; }, ['departments', 0, 'callsBeforeNoShow'], 'no-show-calls'],
];

test('each mistake is one problem, at its field, with a text in English and Spanish', () => {
  for (const [what, change, path, code] of ONE_PROBLEM) {
    const found = problems(broken(change));
    assert.deepEqual(seat(found), [[path, `config.problem.${code}`]], what);
    for (const i18n of translators) {
      const text = i18n.t(found[0].key, found[0].params);
      assert.doesNotMatch(text, /\{\w+\}/, `${what}, in ${i18n.language}: every placeholder filled`);
    }
    assert.notEqual(translators[1].t(found[0].key, found[0].params), translators[0].t(found[0].key, found[0].params),
      `${what}: translated`);
  }
});

test('every problem text of the language files is met by one of the mistakes above', () => {
  const met = new Set(ONE_PROBLEM.map(([, , , code]) => `config.problem.${code}`));
  const texts = Object.keys(english).filter((key) => key.startsWith('config.problem.'));
  assert.deepEqual(texts.filter((key) => !met.has(key)), [], 'a text no mistake shows');
  assert.ok(met.size >= 25);
});

test('the shipped config.json and a bare one have no problems', () => {
  assert.deepEqual(problems(shipped), []);
  assert.deepEqual(problems({ departments: [{ id: 'a', name: 'A', minNumber: 1, maxNumber: 9 }] }), []);
});

test('mistakes in several fields and departments are reported together, in the order of the file', () => {
  const config = broken((c, d) => {
    c.ticketSeconds = 0;
    c.staff.lockAfterSeconds = -5;
    d[0].colour = 'blue';
    d[1].id = 'reception';
    d[1].name = { en: 'Pharmacy', es: '' };
    d[1].maxNumber = 50.5;
    d[2].counters = ['1', 'x'.repeat(13), '1'];
  });
  assert.deepEqual(seat(problems(config)), [
    [['ticketSeconds'], 'config.problem.ticket-seconds'],
    [['staff', 'lockAfterSeconds'], 'config.problem.lock-after'],
    [['departments', 0, 'colour'], 'config.problem.colour'],
    [['departments', 1, 'id'], 'config.problem.id-twice'],
    [['departments', 1, 'name', 'es'], 'config.problem.text-empty-in'],
    [['departments', 1, 'maxNumber'], 'config.problem.whole-number'],
    [['departments', 2, 'counters', 1], 'config.problem.counter'],
    [['departments', 2, 'counters', 2], 'config.problem.counter-twice'],
  ]);
});

test('a department opens at the facility\'s opening unless it says otherwise: its fields over the facility\'s, or null for none', () => {
  const config = validate(broken((c, d) => {
    c.timeZone = 'Europe/Madrid';
    c.opening = { time: '07:30' };
    d[1].opening = { time: '09:00', waiting: 'keep' };
    d[2].opening = null;
  }));
  const madrid = { time: '07:30', timeZone: 'Europe/Madrid', waiting: 'clear' };
  assert.deepEqual(config.opening, madrid, 'the facility\'s time zone, tickets cleared unless said');
  assert.deepEqual(config.departments.map((d) => d.opening), [madrid, { ...madrid, time: '09:00', waiting: 'keep' }, null]);
  // No opening at the facility: only a department that has a whole one of its own.
  const some = validate(broken((c, d) => { d[0].opening = { time: '06:00', timeZone: 'Atlantic/Canary' }; }));
  assert.deepEqual(some.departments.map((d) => d.opening), [{ time: '06:00', timeZone: 'Atlantic/Canary', waiting: 'clear' }, null, null]);
  assert.equal(some.opening, null);
  assert.deepEqual(seat(problems(broken((c, d) => { d[0].opening = { waiting: 'keep' }; }))), [
    [['departments', 0, 'opening', 'time'], 'config.problem.opening-time'],
    [['departments', 0, 'opening', 'timeZone'], 'config.problem.opening-time-zone'],
  ]);
});

test('a field already wrong does not bring more problems with it', () => {
  // The default language is unknown: no name is asked for in it, nor is the list asked to hold it.
  assert.deepEqual(seat(problems(broken((c) => { c.language = 'xx-yy'; delete c.languages; }))),
    [[['language'], 'config.problem.language']]);
  // A range with a wrong end is not compared; a bad id is not compared with the others.
  assert.deepEqual(seat(problems(broken((c, d) => { d[0].minNumber = null; d[1].id = 'Reception'; d[2].id = 'Reception'; }))), [
    [['departments', 0, 'minNumber'], 'config.problem.whole-number'],
    [['departments', 1, 'id'], 'config.problem.id'],
    [['departments', 2, 'id'], 'config.problem.id'],
  ]);
});

test('validate throws the first problem in English, naming its department, and carries them all', () => {
  const config = broken((c, d) => { d[2].counters = ['1', '1']; d[2].colour = '#12345'; c.ticketSeconds = 3; });
  assert.throws(() => validate(config), (error) => error instanceof ConfigError
    && error.message === '"ticketSeconds" must be a whole number of seconds from 5 to 600'
    && error.problems.length === 3);
  assert.throws(() => validate(broken((c, d) => { d[2].counters = ['1', '1']; })),
    { name: 'ConfigError', message: 'department 3: the counter "1" is listed twice' });
  assert.throws(() => validate(broken((c, d) => { d[1] = 7; })), { message: 'department 2 must be an object' });
});

test('the page\'s loadConfig words its refusal with the English texts it is given', async () => {
  const url = (config) => `data:application/json,${encodeURIComponent(JSON.stringify(config))}`;
  const config = broken((c, d) => { d[2].counters = [1]; });
  await assert.rejects(loadConfig({ url: url(config), english: Promise.resolve(english) }), (error) => error instanceof ConfigError
    && error.message === 'department 3: "counters" must hold texts, such as "1" (with quotes), not 1'
    && error.problems.length === 1);
  await assert.rejects(loadConfig({ url: url(config), english: Promise.reject(new Error('no texts')) }),
    { message: 'department 3: config.problem.counter-text' });
  assert.deepEqual(await loadConfig({ url: url(shipped) }), validate(shipped));
});

test('toRaw writes a configuration back in the shape of config.json, which reads back the same', () => {
  const configs = [
    shipped,
    { departments: [{ id: 'a', name: 'A', minNumber: 1, maxNumber: 9 }] },
    broken((c, d) => {
      c.language = 'es';
      c.facility = { es: ' Centro de salud ', en: 'Health centre' };
      c.timeZone = 'Europe/Madrid';
      c.ticketSeconds = 45;
      c.staff = { lockAfterSeconds: 30 };
      c.hub = { url: ['wss://a.example:9222', 'ws://127.0.0.1:9222'] };
      d[0].autoShutdownTimeout = null;
      d[1].name = { es: 'Farmacia' };
      d[2].counters = ['Sala 3', 'B-2'];
    }),
    broken((c, d) => {
      c.hub = { url: 'wss://hub.example:9222' };
      d[0].counters = [];
      delete d[1].colour;
      d[2].autoShutdownTimeout = 0;
    }),
    broken((c, d) => {
      delete d[1].groups[0].weight; // 1 by default
      delete d[1].groups[1].description;
      d[1].transfers = { placement: 'taken' };
      d[0].callsBeforeNoShow = 3;
      delete d[2].groups;
      c.timeZone = 'Europe/Madrid';
      c.opening = { time: '07:30', waiting: 'keep' };
      d[0].opening = { time: '08:15' };
      d[2].opening = null;
    }),
    broken((c, d) => { d[1].opening = { time: '23:59', timeZone: 'America/Bogota' }; }),
  ];
  for (const config of configs) {
    const read = validate(config);
    const raw = toRaw(read);
    // Through JSON, as an export goes, and as it is.
    assert.deepEqual(validate(JSON.parse(JSON.stringify(raw))), read);
    assert.deepEqual(problems(raw), []);
  }
  const raw = toRaw(validate(shipped));
  assert.deepEqual(raw.facility, { en: 'Riverside Health Centre' });
  assert.deepEqual(raw.staff, { lockAfterSeconds: 90 });
  assert.equal(raw.ticketSeconds, 20);
  assert.equal('hub' in raw, false, 'no hub: none written');
  assert.equal('timeZone' in raw, false);
  assert.deepEqual(raw.departments[2], { ...shipped.departments[2] });
  assert.deepEqual(raw.departments[1], { ...shipped.departments[1], counters: [] }, 'groups written back as the file has them');
  assert.equal(toRaw(validate(configs[2])).departments[0].autoShutdownTimeout, null);
  assert.equal('opening' in raw, false, 'no opening: none written');
  const opening = toRaw(validate(configs[4]));
  assert.deepEqual(opening.opening, { time: '07:30', timeZone: 'Europe/Madrid', waiting: 'keep' });
  assert.deepEqual(opening.departments.map((d) => d.opening), [{ time: '08:15', timeZone: 'Europe/Madrid', waiting: 'keep' }, undefined, null],
    'a department\'s own where it differs, none where it is the facility\'s');
});
