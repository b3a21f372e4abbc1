// The languages end to end, in Debian's headless Chromium: the kiosk in Spanish and back to the
// start (and to the facility's language) after a ticket; Spanish as the facility's language on
// the board, the console, the lock and the call-out, axe-clean at both sizes; and a text missing
// from a language file. Screenshots go to tests/screenshots/.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { pageSuite } from '../support/page-suite.mjs';
import { www, shots, configWith, card, boardTile, take, takeIn, act, counterRows, spoken, wallControls } from '../support/kiosk-page.mjs';
import { scan } from '../support/axe.mjs';
import { openConsole } from '../support/staff.mjs';

const spanish = JSON.parse(await readFile(new URL('i18n/es.json', `file://${www}`), 'utf8'));

const suite = pageSuite();
const { newContext, open } = suite;
let origin, context;
beforeEach(() => ({ origin, context } = suite));

test('the kiosk in Spanish: a visible switch, <html lang>, every text, then back to English after the ticket', async () => {
  await context.close();
  context = await newContext({ width: 1280, height: 800 }, {}, configWith((c) => { c.ticketSeconds = 5; }));
  const page = await open(context);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  const español = page.getByRole('button', { name: 'Español' });
  assert.equal(await español.getAttribute('lang'), 'es');
  await español.click();
  assert.equal(await page.getAttribute('html', 'lang'), 'es');
  assert.equal(await español.getAttribute('aria-pressed'), 'true');
  assert.equal(await page.textContent('#customer-title'), 'Saque su número');
  assert.equal(await page.title(), 'Riverside Health Centre: saque su número');
  assert.equal(await page.textContent('#status-blood-tests'), '0 personas esperando');
  assert.equal(await card(page, 'Análisis de sangre').getByRole('button', { name: 'Sacar número' }).count(), 1);
  assert.equal(await page.getByRole('link', { name: 'Atendiendo ahora' }).count(), 1);
  // No English left on the customer view (department names come from config.json, in Spanish too).
  const visible = await page.locator('#view-customer').innerText();
  for (const word of ['Take', 'number', 'waiting', 'Choose', 'department']) assert.doesNotMatch(visible, new RegExp(`\\b${word}\\b`), word);

  await takeIn(page, 'blood-tests');
  assert.equal(await page.textContent('.ticket-label'), 'Su número');
  assert.equal(await page.textContent('#ticket-ahead'), 'No hay nadie delante de usted.');
  assert.equal(await page.textContent('#ticket-department'), 'Análisis de sangre');
  assert.match(await page.textContent('#ticket-time'), /^Hora: \d\d:\d\d$/);
  await page.screenshot({ path: `${shots}customer-es-1280x800.png`, fullPage: true });
  await scan(page, 'customer, Spanish, with a ticket');
  // A tap on the ticket itself (reading it, printing it) keeps it.
  await page.click('#ticket-number');
  assert.equal(await page.isVisible('#ticket'), true);
  // ticketSeconds later: the start screen, in the facility's language.
  await page.waitForSelector('#ticket', { state: 'hidden', timeout: 15_000 });
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.equal(await page.textContent('#customer-title'), 'Take a number');

  // The next tap elsewhere ends a ticket at once.
  await take(page, 'Reception');
  await page.click('#customer-title');
  assert.equal(await page.isVisible('#ticket'), false);
  // A tap on another "Take a number" ends the previous ticket and gives the next one.
  await take(page, 'Reception');
  await take(page, 'Pharmacy');
  assert.equal(await page.textContent('#ticket-number'), '100');
  // Escape, from the keyboard.
  await page.keyboard.press('Escape');
  assert.equal(await page.isVisible('#ticket'), false);

  // A customer who picks Spanish and walks away: English again after ticketSeconds.
  await español.click();
  assert.equal(await page.getAttribute('html', 'lang'), 'es');
  await page.waitForFunction(() => document.documentElement.lang === 'en', null, { timeout: 15_000 });
});

test('Spanish as the facility\'s language: the board, the console, the lock and the call-out, axe-clean at both sizes', async () => {
  for (const [label, viewport] of [['portrait-1080x1920', { width: 1080, height: 1920 }], ['tablet-1280x800', { width: 1280, height: 800 }]]) {
    const ctx = await newContext(viewport, { reducedMotion: 'reduce' }, configWith((c) => { c.language = 'es'; c.languages = ['es', 'en']; }));
    try {
      const kiosk = await open(ctx);
      assert.equal(await kiosk.getAttribute('html', 'lang'), 'es');
      for (let i = 0; i < 4; i++) await takeIn(kiosk, 'blood-tests');
      await takeIn(kiosk, 'reception');
      await scan(kiosk, `${label} customer, Spanish`);
      await kiosk.screenshot({ path: `${shots}customer-es-${label}.png`, fullPage: true });

      const staff = await open(ctx, '#staff');
      await staff.waitForSelector('#setup-form:not([hidden])');
      assert.equal(await staff.textContent('#setup-title'), 'Configure el PIN del personal de este dispositivo');
      await scan(staff, `${label} staff setup, Spanish`);
      const setup = staff.locator('#setup-form');
      await setup.getByLabel('PIN nuevo', { exact: true }).fill('123456');
      await setup.getByLabel('Repita el PIN nuevo').fill('123456');
      await setup.getByRole('button', { name: 'Guardar el PIN y abrir la consola' }).click();
      await staff.waitForFunction(() => document.getElementById('setup-error').textContent !== '');
      assert.equal(await staff.textContent('#setup-error'), 'Ese PIN cuenta hacia arriba o hacia abajo: elija uno más difícil de adivinar.');
      await setup.getByLabel('PIN nuevo', { exact: true }).fill('480163');
      await setup.getByLabel('Repita el PIN nuevo').fill('480163');
      await setup.getByRole('button', { name: 'Guardar el PIN y abrir la consola' }).click();
      await staff.waitForSelector('#console:not([hidden])');
      await staff.selectOption('#counter-blood-tests', '3');
      const board = await open(ctx, '#board');
      await board.bringToFront();
      await wallControls(board);
      await board.getByLabel('Aviso sonoro y llamada por voz en esta pantalla').check();
      assert.equal(await act(staff, 'blood-tests', 'serve'), 'Atendiendo el 200 en el puesto 3.');
      assert.equal(await act(staff, 'reception', 'serve'), 'Atendiendo el 1.');
      assert.equal(await act(staff, 'blood-tests', 'recall'), 'Se ha vuelto a llamar al 200.');
      await scan(staff, `${label} console, Spanish`);
      await board.bringToFront();
      await board.waitForFunction(() => window.__spoken.length === 3);
      assert.deepEqual(await spoken(board), ['es: Número 200, puesto 3', 'es: Número 1, Recepción', 'es: Número 200, puesto 3']);
      assert.deepEqual(await counterRows(board, 'blood-tests'), [['Puesto 3', '200', true]]);
      assert.equal(await boardTile(board, 'Análisis de sangre').locator('.board-waiting').textContent(), '3 personas esperando');
      await scan(board, `${label} board, Spanish`);
      await staff.bringToFront();
      await staff.getByRole('button', { name: 'Cifras de hoy' }).click();
      await staff.waitForSelector('#figures:not([hidden])');
      assert.match(await staff.textContent('#figures-table'), /Números emitidos/);
      await scan(staff, `${label} figures, Spanish`);
      await staff.getByRole('button', { name: 'Bloquear la consola' }).click();
      await staff.getByLabel('PIN del personal', { exact: true }).fill('480164');
      await staff.getByRole('button', { name: 'Desbloquear' }).click();
      await staff.waitForFunction(() => document.getElementById('unlock-error').textContent !== '');
      assert.equal(await staff.textContent('#unlock-error'), 'Ese PIN no es correcto. Quedan 4 intentos antes de una espera.');
      await scan(staff, `${label} lock, Spanish`);
    } finally {
      await ctx.close();
    }
  }
});

test('a text missing from a language shows in English and is listed once in the staff notices', async () => {
  await context.close();
  context = await newContext({ width: 1280, height: 800 });
  const partial = { ...spanish };
  delete partial['customer.take'];
  await context.route('**/i18n/es.json', (route) => route.fulfill({ json: partial }));
  const page = await open(context);
  await page.getByRole('button', { name: 'Español' }).click();
  assert.equal(await card(page, 'Análisis de sangre').locator('.take').textContent(), 'Take a number', 'English behind it');
  assert.equal(await page.textContent('#customer-title'), 'Saque su número', 'the rest in Spanish');
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('button', { name: 'Español' }).click();
  await page.getByRole('button', { name: 'English' }).click();
  await openConsole(page, origin);
  const notices = await page.locator('#notices li').allTextContents();
  const missing = notices.filter((n) => n.includes('customer.take'));
  assert.equal(missing.length, 1, notices.join('\n'));
  assert.match(missing[0], /i18n\/es\.json (lacks 1 text, shown in English|le falta 1 texto, que se muestra en inglés): customer\.take/);
});

test('a device without a Spanish voice chimes a call made in Spanish instead of handing it to speech, and tells staff', async () => {
  // This device's browser lists an English voice only (recordSound gave it both: kiosk-page.mjs).
  await context.addInitScript(() => { window.__fakeVoices = window.__fakeVoices.filter((voice) => voice.lang.startsWith('en')); });
  const kiosk = await open(context);
  await takeIn(kiosk, 'reception');
  await takeIn(kiosk, 'reception');
  const staff = await open(context, '#staff');
  await openConsole(staff, origin);
  const board = await open(context, '#board');
  await wallControls(board);
  await board.getByLabel('Chime and call out numbers on this screen').check();
  assert.equal(await act(staff, 'reception', 'serve'), 'Serving 1.');
  await board.bringToFront();
  await board.waitForFunction(() => window.__spoken.length === 1);
  await wallControls(board);
  await board.getByRole('button', { name: 'Español' }).click();
  const notes = await board.evaluate(() => window.__notes);
  assert.equal(await act(staff, 'reception', 'serve'), 'Serving 2.');
  await board.bringToFront();
  await board.waitForFunction((before) => window.__notes > before, notes);
  assert.deepEqual(await spoken(board), ['en: Number 1, Reception'], 'the Spanish call chimed, not spoken');
  // The board's own console (the notices are each window's) says which language has no voice.
  await wallControls(board);
  await board.getByRole('button', { name: 'English' }).click();
  await openConsole(board, origin);
  const notices = await board.locator('#notices li').allTextContents();
  assert.equal(notices.filter((n) => n.includes('no voice for Español')).length, 1, notices.join('\n'));
});
