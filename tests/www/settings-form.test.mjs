// The Settings view's editing model (www/js/model/settings-form.js): edits by path and by
// operation, every bad input shown at its field by config.js's one validator, what changed
// between two versions, the waiting tickets a removal or a range change touches, and export
// then import giving the same configuration.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SettingsForm, diff, importText, normalise } from '../../www/js/model/settings-form.js';
import { validate } from '../../www/js/model/config.js';
import { toRaw } from '../../www/js/model/config-raw.js';
import { changeText } from '../../www/js/views/settings-words.js';
import { PageLanguage } from '../../www/js/language/page-language.js';
import { english, shipped } from '../support/www-files.mjs';

const form = () => new SettingsForm(shipped, { base: 3 });
const seat = (found) => found.map(({ path, key }) => [path, key]);

test('a form starts from the configuration in its fullest form, without the hub, unchanged', () => {
  const f = new SettingsForm({ ...shipped, hub: { url: 'wss://hub.example:9222' } }, { base: 3 });
  assert.equal(f.base, 3);
  assert.equal(f.raw.hub, undefined);
  assert.equal(f.changed, false);
  assert.deepEqual(f.problems(), []);
  assert.deepEqual(f.raw.departments[0].counters, [], 'defaults written out');
  assert.deepEqual(validate(f.raw), validate({ ...shipped }), 'the same configuration');
});

test('edits by path change the configuration, and undefined removes a field', () => {
  const f = form();
  f.set(['facility', 'es'], 'Centro de Salud Riverside');
  f.set(['ticketSeconds'], 30);
  f.set(['staff', 'lockAfterSeconds'], 120);
  f.set(['timeZone'], 'Europe/Madrid');
  f.set(['departments', 1, 'name', 'es'], undefined);
  assert.equal(f.changed, true);
  assert.deepEqual(f.problems(), []);
  const config = validate(f.raw);
  assert.equal(config.facilityNames.es, 'Centro de Salud Riverside');
  assert.equal(config.ticketMs, 30_000);
  assert.equal(config.staff.lockAfterMs, 120_000);
  assert.equal(config.timeZone, 'Europe/Madrid');
  assert.deepEqual(config.departments[1].names, { en: 'Pharmacy' }, 'falls back to the default language');
  f.set(['timeZone'], undefined);
  assert.equal(validate(f.raw).timeZone, undefined, "each browser's own zone");
});

test('departments are added with a free id and range, removed and moved; an existing id stays', () => {
  const f = form();
  const i = f.addDepartment('X-ray');
  assert.equal(i, 3);
  assert.deepEqual(f.raw.departments[3], {
    id: 'department-4', name: { en: 'X-ray' }, minNumber: 300, maxNumber: 399, autoShutdownTimeout: null, colour: '#1d3557', counters: [],
  });
  assert.deepEqual(f.problems(), []);
  assert.equal(f.idEditable(3), true);
  f.set(['departments', 3, 'id'], 'x-ray');
  assert.equal(f.idEditable(0), false);
  assert.throws(() => f.set(['departments', 0, 'id'], 'front-desk'), RangeError);
  const key = f.keyOf(3);
  f.moveDepartment(3, 0);
  assert.deepEqual(f.departments.map((d) => d.id), ['x-ray', 'reception', 'pharmacy', 'blood-tests']);
  assert.equal(f.keyOf(0), key, 'its key follows it');
  assert.equal(f.idEditable(0), true);
  assert.equal(f.originOf(1), 'reception');
  f.removeDepartment(2);
  assert.deepEqual(f.departments.map((d) => d.id), ['x-ray', 'reception', 'blood-tests']);
  assert.equal(f.originOf(2), 'blood-tests');
  f.moveDepartment(0, -1);
  assert.equal(f.departments[0].id, 'x-ray', 'a move off the list does nothing');
});

test('counters are added, renamed and removed', () => {
  const f = form();
  assert.equal(f.nextCounter(2), '4');
  assert.equal(f.addCounter(2, f.nextCounter(2)), 3);
  f.renameCounter(2, 0, 'A');
  f.removeCounter(2, 1);
  assert.deepEqual(f.raw.departments[2].counters, ['A', '3', '4']);
  assert.equal(f.nextCounter(0), '1');
  f.addCounter(0, '1');
  assert.deepEqual(f.problems(), []);
});

test('a language removed takes its texts along; the default language stays', () => {
  const f = form();
  assert.equal(f.removeLanguage('en'), false);
  assert.equal(f.removeLanguage('es'), true);
  assert.deepEqual(f.raw.languages, ['en']);
  assert.deepEqual(f.raw.departments[1].name, { en: 'Pharmacy' });
  assert.deepEqual(f.problems(), []);
  f.addLanguage('es');
  f.addLanguage('es');
  assert.deepEqual(f.raw.languages, ['en', 'es']);
  // Calls said in Spanish and English: Spanish removed, English alone; English too, the board's own.
  f.set(['callOutLanguages'], ['es', 'en']);
  assert.deepEqual(diff(f.saved, f.raw).filter(({ path }) => path[0] === 'callOutLanguages').map(({ kind, after }) => [kind, after]),
    [['added', 'es'], ['added', 'en']]);
  f.removeLanguage('es');
  assert.deepEqual(f.raw.callOutLanguages, ['en']);
  assert.deepEqual(f.problems(), []);
  f.addLanguage('es');
  f.set(['callOutLanguages'], ['es']);
  f.removeLanguage('es');
  assert.equal('callOutLanguages' in f.raw, false);
  assert.deepEqual(f.problems(), []);
});

// [what is wrong, the edit through the model, the field it is shown at, the key of its text]
const BAD_INPUTS = [
  ['an empty facility name', (f) => f.set(['facility', 'en'], ''), ['facility', 'en'], 'text-empty-in'],
  ['no facility name in the default language', (f) => f.set(['facility', 'en'], undefined), ['facility', 'en'], 'no-default-text'],
  ['a default language not offered', (f) => f.set(['languages'], ['es']), ['languages'], 'default-not-offered'],
  ['a default language that is no code', (f) => f.set(['language'], 'Spanish'), ['language'], 'language'],
  ['no language offered', (f) => f.set(['languages'], []), ['languages'], 'languages'],
  ['ticketSeconds 4', (f) => f.set(['ticketSeconds'], 4), ['ticketSeconds'], 'ticket-seconds'],
  ['ticketSeconds 601', (f) => f.set(['ticketSeconds'], 601), ['ticketSeconds'], 'ticket-seconds'],
  ['ticketSeconds typed as words', (f) => f.set(['ticketSeconds'], 'twenty'), ['ticketSeconds'], 'ticket-seconds'],
  ['ticketSeconds left empty', (f) => f.set(['ticketSeconds'], ''), ['ticketSeconds'], 'ticket-seconds'],
  ['a lock time of 0', (f) => f.set(['staff', 'lockAfterSeconds'], 0), ['staff', 'lockAfterSeconds'], 'lock-after'],
  ['a lock time of 1.5', (f) => f.set(['staff', 'lockAfterSeconds'], 1.5), ['staff', 'lockAfterSeconds'], 'lock-after'],
  ['a time zone that does not exist', (f) => f.set(['timeZone'], 'Europe/Atlantis'), ['timeZone'], 'time-zone'],
  ['every department removed', (f) => { f.removeDepartment(0); f.removeDepartment(0); f.removeDepartment(0); }, ['departments'], 'departments'],
  ['a new id with capitals', (f) => f.set(['departments', f.addDepartment('X-ray'), 'id'], 'X-Ray'), ['departments', 3, 'id'], 'id'],
  ['a new id left empty', (f) => f.set(['departments', f.addDepartment('X-ray'), 'id'], ''), ['departments', 3, 'id'], 'id'],
  ['a new id taken already', (f) => f.set(['departments', f.addDepartment('X-ray'), 'id'], 'pharmacy'), ['departments', 3, 'id'], 'id-twice'],
  ['a new department without a name', (f) => f.addDepartment(''), ['departments', 3, 'name', 'en'], 'text-empty-in'],
  ['an empty Spanish name', (f) => f.set(['departments', 2, 'name', 'es'], ' '), ['departments', 2, 'name', 'es'], 'text-empty-in'],
  ['a name missing in the default language', (f) => f.set(['departments', 0, 'name', 'en'], undefined), ['departments', 0, 'name', 'en'], 'no-default-text'],
  ['a first number above the last', (f) => f.set(['departments', 0, 'minNumber'], 120), ['departments', 0, 'minNumber'], 'range-order'],
  ['a first number equal to the last', (f) => f.set(['departments', 1, 'maxNumber'], 100), ['departments', 1, 'minNumber'], 'range-order'],
  ['a first number with a fraction', (f) => f.set(['departments', 0, 'minNumber'], 1.5), ['departments', 0, 'minNumber'], 'whole-number'],
  ['a last number typed as words', (f) => f.set(['departments', 0, 'maxNumber'], 'ninety'), ['departments', 0, 'maxNumber'], 'whole-number'],
  ['a last number too large', (f) => f.set(['departments', 0, 'maxNumber'], 2 ** 53), ['departments', 0, 'maxNumber'], 'number-too-large'],
  ['a negative switch-off time', (f) => f.set(['departments', 1, 'autoShutdownTimeout'], -60_000), ['departments', 1, 'autoShutdownTimeout'], 'auto-shutdown'],
  ['a switch-off time typed as words', (f) => f.set(['departments', 1, 'autoShutdownTimeout'], 'soon'), ['departments', 1, 'autoShutdownTimeout'], 'auto-shutdown'],
  ['a colour by name', (f) => f.set(['departments', 1, 'colour'], 'green'), ['departments', 1, 'colour'], 'colour'],
  ['a colour too short', (f) => f.set(['departments', 1, 'colour'], '#0b6e4'), ['departments', 1, 'colour'], 'colour'],
  ['a counter added twice', (f) => f.addCounter(2, '3'), ['departments', 2, 'counters', 3], 'counter-twice'],
  ['a counter renamed too long', (f) => f.renameCounter(2, 0, 'Counter number one'), ['departments', 2, 'counters', 0], 'counter'],
  ['a counter renamed to nothing', (f) => f.renameCounter(2, 1, ''), ['departments', 2, 'counters', 1], 'counter'],
  ['a counter starting with a dash', (f) => f.renameCounter(2, 1, '-2'), ['departments', 2, 'counters', 1], 'counter'],
];

test('every bad input made through the model is one problem, at its field', () => {
  assert.ok(BAD_INPUTS.length >= 20);
  for (const [what, edit, path, code] of BAD_INPUTS) {
    const f = form();
    edit(f);
    assert.deepEqual(seat(f.problems()), [[path, `config.problem.${code}`]], what);
  }
});

test('diff names each change by field and department, in the order of the file', () => {
  const f = form();
  f.set(['facility', 'es'], 'Centro Riverside');
  f.set(['ticketSeconds'], 30);
  f.set(['printing', 'paper'], 'a4');
  f.set(['printing', 'auto'], true);
  f.set(['departments', 1, 'maxNumber'], 149);
  f.set(['departments', 1, 'name', 'es'], 'Farmacia y vacunas');
  f.addCounter(2, '4');
  f.removeCounter(2, 0);
  f.removeDepartment(0);
  f.set(['departments', f.addDepartment('X-ray'), 'id'], 'x-ray');
  f.moveDepartment(1, 0);
  const changes = diff(shipped, f.raw).map(({ path, kind, before, after }) => [path.join('.'), kind, before, after]);
  assert.deepEqual(changes, [
    ['facility.es', 'added', undefined, 'Centro Riverside'],
    ['ticketSeconds', 'changed', 20, 30],
    ['printing.paper', 'changed', '80mm', 'a4'],
    ['printing.auto', 'changed', false, true],
    ['departments.reception', 'removed', f.saved.departments[0], undefined],
    ['departments.blood-tests.counters', 'removed', '1', undefined],
    ['departments.blood-tests.counters', 'added', undefined, '4'],
    ['departments.pharmacy.name.es', 'changed', 'Farmacia', 'Farmacia y vacunas'],
    ['departments.pharmacy.maxNumber', 'changed', 199, 149],
    ['departments.x-ray', 'added', undefined, f.raw.departments[2]],
    ['departments', 'moved', ['reception', 'pharmacy', 'blood-tests'], ['blood-tests', 'pharmacy', 'x-ray']],
  ]);
  assert.deepEqual(diff(shipped, f.raw).find((c) => c.path.join('.') === 'departments.pharmacy.maxNumber').names,
    { en: 'Pharmacy', es: 'Farmacia y vacunas' });
});

test('diff sees no change between a file and its fullest form, nor in the hub', () => {
  assert.deepEqual(diff(shipped, normalise(shipped)), []);
  assert.deepEqual(diff(shipped, { ...shipped, hub: { url: 'wss://hub.example' } }), []);
  const never = structuredClone(shipped);
  never.departments[0].autoShutdownTimeout = null;
  assert.deepEqual(diff(shipped, never).map((c) => [c.path.join('.'), c.kind, c.before, c.after]),
    [['departments.reception.autoShutdownTimeout', 'changed', 7_200_000, null]]);
});

test('the daily openings are kept through the form, and a change of one is listed in words', () => {
  const withOpening = { ...structuredClone(shipped), timeZone: 'Europe/Madrid', opening: { time: '07:30' } };
  withOpening.departments[1].opening = { time: '09:00', waiting: 'keep' };
  const f = new SettingsForm(withOpening, { base: 3 });
  assert.deepEqual(f.raw.opening, { time: '07:30', timeZone: 'Europe/Madrid', waiting: 'clear' }, 'written out in full');
  assert.deepEqual(validate(f.raw), validate(withOpening), 'the same configuration');
  f.set(['opening', 'time'], '08:00');
  f.set(['departments', 1, 'opening'], undefined);
  f.set(['departments', 2, 'opening'], null);
  const changes = diff(withOpening, f.raw);
  assert.deepEqual(changes.map(({ path, kind }) => [path.join('.'), kind]), [
    ['opening', 'changed'], ['departments.pharmacy.opening', 'removed'], ['departments.blood-tests.opening', 'added'],
  ]);
  const i18n = new PageLanguage({ messages: new Map([['en', english]]), defaultLanguage: 'en', offered: ['en'] });
  assert.deepEqual(changes.map((change) => changeText(i18n, change, () => null)), [
    'Daily opening: 07:30 (Europe/Madrid), tickets still waiting cleared → 08:00 (Europe/Madrid), tickets still waiting cleared',
    'Pharmacy: Daily opening: 09:00 (Europe/Madrid), tickets still waiting kept removed',
    'Blood tests: Daily opening: none added',
  ]);
});

test('removing departments in which people wait gives their counts; empty ones are not asked about', () => {
  const f = form();
  f.removeDepartment(1);
  f.removeDepartment(0);
  assert.deepEqual(f.removedWithWaiting({ pharmacy: [100, 101, 102, 103], reception: [] }), [
    { id: 'pharmacy', names: { en: 'Pharmacy', es: 'Farmacia' }, waiting: 4 },
  ]);
  assert.deepEqual(f.removedWithWaiting({ pharmacy: 2, reception: 1 }).map((d) => [d.id, d.waiting]), [['reception', 1], ['pharmacy', 2]]);
  assert.deepEqual(form().removedWithWaiting({ pharmacy: 4 }), [], 'nothing removed');
});

test('a new range says how many waiting numbers it leaves out (it then waits for an empty queue)', () => {
  const f = form();
  const queues = { pharmacy: [150, 151, 190], reception: [] };
  assert.equal(f.rangeChange(1, queues), null, 'unchanged');
  f.set(['departments', 1, 'maxNumber'], 195);
  assert.deepEqual(f.rangeChange(1, queues), { waiting: 3, outside: 0 }, 'they all fit: at once');
  f.set(['departments', 1, 'maxNumber'], 160);
  assert.deepEqual(f.rangeChange(1, queues), { waiting: 3, outside: 1 });
  f.set(['departments', 1, 'minNumber'], 'x');
  assert.equal(f.rangeChange(1, queues), null, 'not a range yet');
  f.set(['departments', 0, 'minNumber'], 10);
  assert.equal(f.rangeChange(0, queues), null, 'nobody waiting');
  f.addDepartment('X-ray');
  assert.equal(f.rangeChange(3, queues), null, 'new');
});

test('export then import gives the same configuration, and the imported one loads for review', () => {
  const f = form();
  f.set(['facility', 'es'], 'Centro Riverside');
  f.set(['departments', f.addDepartment('Rayos X'), 'id'], 'x-ray');
  const text = f.export();
  assert.match(text, /^\{\n {2}"facility": \{/);
  const read = importText(text);
  assert.equal(read.ok, true);
  assert.deepEqual(read.problems, []);
  assert.deepEqual(read.raw, f.raw);
  assert.deepEqual(validate(read.raw), validate(f.raw));
  const g = form();
  g.load(read.raw);
  assert.deepEqual(g.raw, f.raw);
  assert.equal(g.base, 3, 'still based on the version it started from');
  assert.equal(g.idEditable(3), true, 'a department not saved yet is new');
  assert.equal(g.idEditable(1), false);
  assert.deepEqual(toRaw(validate(g.raw)), g.raw);
});

test('an import of junk says why, and a file with problems loads with them', () => {
  const junk = importText('{ "facility": "Riverside", ');
  assert.equal(junk.ok, false);
  assert.deepEqual(seat(junk.problems), [[[], 'settings.import-not-json']]);
  assert.equal(typeof junk.problems[0].params.detail, 'string');
  assert.deepEqual(seat(importText('[1, 2]').problems), [[[], 'config.problem.not-object']]);
  assert.deepEqual(seat(importText('"config"').problems), [[[], 'config.problem.not-object']]);
  const broken = importText(JSON.stringify({ ...shipped, ticketSeconds: 2, hub: { url: 'http://nope' } }));
  assert.equal(broken.ok, true);
  assert.equal(broken.raw.hub, undefined, 'the hub is not the file\'s to set');
  assert.deepEqual(seat(broken.problems), [[['ticketSeconds'], 'config.problem.ticket-seconds']]);
  const f = form();
  f.load(broken.raw);
  assert.deepEqual(seat(f.problems()), [[['ticketSeconds'], 'config.problem.ticket-seconds']]);
});

test('the contrast shown next to a colour is the WCAG ratio of the text colour the page picks', async () => {
  const { contrast, textColourOn } = await import('../../www/js/model/config.js');
  assert.equal(contrast('#000000', '#ffffff'), 21);
  assert.equal(contrast('#ffffff', '#000000'), 21);
  assert.equal(textColourOn('#1d3557'), '#ffffff');
  assert.ok(contrast('#1d3557', '#ffffff') > 12);
  assert.equal(textColourOn('#ffff00'), '#000000');
});
