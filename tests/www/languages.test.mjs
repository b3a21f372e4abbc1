// The page's languages without a browser: the shipped files (the same keys and placeholders as
// English, every key the page uses there), a window's language with English behind missing
// texts (www/js/language/page-language.js), and language files that fail to load.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { PageLanguage, loadLanguages } from '../../www/js/language/page-language.js';
import { checkMessages, loadMessages, I18nError } from '../../www/js/language/messages.js';
import { english, spanish, www } from '../support/www-files.mjs';

const MIN = 60_000;

test('the language files: the same keys, the same placeholders, valid plural forms, and real Spanish', () => {
  checkMessages('en', english);
  checkMessages('es', spanish);
  assert.deepEqual(Object.keys(spanish).sort(), Object.keys(english).sort());
  const placeholders = (text) => [...new Set(JSON.stringify(text).match(/\{\w+\}/g) ?? [])].sort();
  for (const key of Object.keys(english)) {
    assert.deepEqual(placeholders(spanish[key]), placeholders(english[key]), key);
    assert.equal(typeof spanish[key], typeof english[key], `${key}: a text or plural forms in both`);
  }
  const same = Object.keys(english).filter((key) => JSON.stringify(spanish[key]) === JSON.stringify(english[key]));
  assert.ok(same.length <= 3, `translated, not copied: the same in both: ${same.join(', ')}`);
  assert.equal(spanish['language.name'], 'Español');
});

test('every text the page asks for is in en.json, and no key there goes unused', async () => {
  const sources = [];
  for (const file of await readdir(new URL('js/', www), { recursive: true })) {
    if (file.endsWith('.js')) sources.push(await readFile(new URL(`js/${file}`, www), 'utf8'));
  }
  const code = sources.join('\n');
  const pages = (await readdir(www)).filter((file) => file.endsWith('.html'));
  const html = (await Promise.all(pages.map((page) => readFile(new URL(page, www), 'utf8')))).join('\n');
  const literal = new Set([...code.matchAll(/'([a-z]+(?:\.[a-z0-9-]+)+)'/g)].map((m) => m[1]).filter((k) => /^(?:[a-z]+)\./.test(k)));
  const fromHtml = [...html.matchAll(/data-i18n(?:-aria-label)?="([^"]+)"/g)].map((m) => m[1]);
  // Keys built from a prefix in code: `live.${…}`, `pin.problem.${code}`, `notice.${code}`,
  // `hub.banner.${status}`, `config.problem.${code}` (config-problems.test.mjs meets each one).
  const built = Object.keys(english).filter((k) => /^(live|pin\.problem|notice|hub\.banner|config\.problem)\./.test(k));
  const used = new Set([...literal, ...fromHtml, ...built]);
  const known = new Set(Object.keys(english));
  const files = /^[\w-]+\.(js|json|css|html)$/; // file names in code, not keys
  assert.deepEqual([...used].filter((k) => !known.has(k) && !files.test(k)), [], 'asked for but missing from en.json');
  assert.deepEqual([...known].filter((k) => !used.has(k)), [], 'in en.json but never used');
});

test('a window\'s language: texts, English behind missing ones (listed once), names, switching', () => {
  const reported = [];
  const partial = { ...spanish };
  delete partial['board.closed'];
  delete partial['ticket.next'];
  const i18n = new PageLanguage({
    messages: new Map([['en', english], ['es', partial]]),
    defaultLanguage: 'en',
    offered: ['en', 'es'],
    onMissing: (language, keys) => reported.push([language, keys]),
  });
  assert.deepEqual(reported, [['es', ['ticket.next', 'board.closed']]], 'a language\'s missing texts, once, at start');
  const heard = [];
  i18n.subscribe((code) => heard.push(code));
  assert.equal(i18n.t('waiting.people', { count: 1 }), '1 person waiting');
  assert.equal(i18n.set('es'), true);
  assert.equal(i18n.set('es'), false);
  assert.deepEqual(heard, ['es']);
  assert.equal(i18n.code, 'es');
  assert.equal(i18n.t('waiting.people', { count: 1 }), '1 persona esperando');
  assert.equal(i18n.t('waiting.people', { count: 3 }), '3 personas esperando');
  assert.equal(i18n.t('board.closed'), 'Closed', 'English behind a missing text');
  assert.equal(i18n.t('board.closed'), 'Closed');
  assert.equal(i18n.t('no.such-key'), 'no.such-key');
  i18n.t('no.such-key');
  assert.deepEqual(reported.slice(1), [['es', ['no.such-key']]], 'a key missing everywhere, once');
  assert.equal(i18n.text({ en: 'Pharmacy', es: 'Farmacia' }), 'Farmacia');
  assert.equal(i18n.text({ en: 'Pharmacy' }), 'Pharmacy', 'a name given in one language only');
  assert.equal(i18n.nameOf('en'), 'English');
  assert.equal(i18n.nameOf('es'), 'Español');
  assert.throws(() => i18n.set('fr'), RangeError);
  assert.match(i18n.minutes(4.5 * MIN), /^4,5\s?min/);
  assert.equal(i18n.minutes(null), '–');
});

test('new settings while the page runs: another offer of languages, the window\'s own language kept while offered, else the default', () => {
  const reported = [];
  const partial = { ...spanish };
  delete partial['board.closed'];
  const i18n = new PageLanguage({ messages: new Map([['en', english]]), defaultLanguage: 'en', offered: ['en'], onMissing: (language, keys) => reported.push([language, keys]) });
  const heard = [];
  i18n.subscribe((code) => heard.push(code));
  assert.throws(() => i18n.set('es'), RangeError);
  i18n.reconfigure({ messages: new Map([['en', english], ['es', partial]]), defaultLanguage: 'es', offered: ['en', 'es'] });
  assert.deepEqual(reported, [['es', ['board.closed']]], 'a newly offered language\'s missing texts, once');
  assert.deepEqual([i18n.code, i18n.defaultLanguage, i18n.offered], ['en', 'es', ['en', 'es']], 'English is still offered: kept');
  assert.deepEqual(heard, ['en'], 'told: the offer changed');
  assert.equal(i18n.set('es'), true);
  assert.equal(i18n.t('waiting.people', { count: 1 }), '1 persona esperando');
  i18n.reconfigure({ messages: new Map([['en', english], ['es', partial]]), defaultLanguage: 'en', offered: ['en', 'es'] });
  assert.equal(reported.length, 1, 'not reported again');
  assert.equal(i18n.code, 'es');
  i18n.reconfigure({ messages: new Map([['en', english]]), defaultLanguage: 'en', offered: ['en'] });
  assert.equal(i18n.code, 'en', 'Spanish no longer offered: the default');
  assert.equal(i18n.t('waiting.people', { count: 1 }), '1 person waiting');
});

test('a language file that is missing or not JSON stops the start with a message naming it', async () => {
  const files = { en: english, es: '{"language.name": "Español",' };
  const fetchFile = async (url) => {
    const code = url.pathname.split('/').pop().replace('.json', '');
    if (!(code in files)) return new Response('not found', { status: 404 });
    const body = typeof files[code] === 'string' ? files[code] : JSON.stringify(files[code]);
    return new Response(body);
  };
  const load = (code) => loadMessages(code, new URL('http://kiosk.test/i18n/'), fetchFile);
  await assert.rejects(loadLanguages(['en', 'es'], load), (error) => error instanceof I18nError && error.message === 'i18n/es.json is not valid JSON');
  await assert.rejects(loadLanguages(['en', 'fr'], load), (error) => error instanceof I18nError
    && error.message === 'i18n/fr.json could not be fetched (HTTP 404)');
  files.es = spanish;
  const loaded = await loadLanguages(['es'], load);
  assert.deepEqual([...loaded.keys()], ['en', 'es'], 'English always comes along, behind every other language');
});
