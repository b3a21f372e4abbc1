// Queue groups at the kiosk, in Debian's headless Chromium: a department with groups asks which
// (its words, icons and descriptions, in English and Spanish; by touch and by keyboard; a way
// back), the ticket and the printed receipt say the group, a department without groups still
// takes in one tap, the windows of one browser share the groups and their order, and the board
// shows the calls of a ratio department in the ratio's order (a counter driving the department
// from Node, through the package, as another window of the browser would).
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pageSuite } from '../support/page-suite.mjs';
import { card, take, boardTile, act, chooseCounter } from '../support/kiosk-page.mjs';
import { scan } from '../support/axe.mjs';
import { openConsole } from '../support/staff.mjs';

const suite = pageSuite();
const { open, newContext } = suite;
let origin, context;
beforeEach(() => ({ origin, context } = suite));

const choices = (page) => page.locator('#group-picker .group-choice').evaluateAll((buttons) => buttons.map((b) => ({
  group: b.dataset.group,
  name: b.querySelector('.group-name').textContent,
  description: b.querySelector('.group-description')?.textContent ?? null,
  icon: b.querySelectorAll('svg.group-icon path').length > 0,
})));

test('Pharmacy asks which queue, with icons and descriptions, and a way back; the ticket says the group; Reception takes in one tap', async () => {
  const page = await open(context);
  await card(page, 'Pharmacy').getByRole('button', { name: 'Take a number' }).click();
  await page.waitForSelector('#group-picker:not([hidden])');
  assert.equal(await page.isVisible('#departments'), false, 'the choice stands in for the cards');
  assert.equal(await page.textContent('#group-picker-title'), 'Pharmacy: choose your queue');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'group-picker-title', 'a screen reader starts at the question');
  assert.deepEqual(await choices(page), [
    { group: 'standard', name: 'Standard', description: 'Everyone else', icon: true },
    { group: 'priority', name: 'Priority', description: 'Over 65, pregnant, or with a disability', icon: true },
  ]);
  const sizes = await page.locator('#group-picker button').evaluateAll((buttons) => buttons.map((b) => b.getBoundingClientRect().height));
  assert.ok(sizes.every((h) => h >= 60), `large touch targets: ${sizes}`);
  await scan(page, 'the group picker');
  assert.equal(await page.evaluate(() => window.__answers), 0, 'no ticket yet');

  await page.getByRole('button', { name: 'Back to the departments' }).click();
  assert.equal(await page.isVisible('#group-picker'), false);
  assert.equal(await page.evaluate(() => document.activeElement.dataset.department), 'pharmacy', 'focus back where it was');
  assert.equal(await card(page, 'Pharmacy').locator('.card-status').textContent(), '0 people waiting', 'going back takes no ticket');

  await take(page, 'Pharmacy', 'priority');
  assert.equal(await page.textContent('#ticket-number'), '100');
  assert.equal(await page.textContent('#ticket-department'), 'Pharmacy');
  assert.equal(await page.textContent('#ticket-group'), 'Priority');
  assert.equal(await page.locator('#ticket-group svg.group-icon').count(), 1);
  assert.match(await page.textContent('#announce-ticket'), /^Your number is 100, Pharmacy, Priority queue\. You are next\./);
  await scan(page, 'a ticket with its group');

  // The printed receipt says the group too (Chromium's print path: beforeprint, the receipt's layout).
  const dir = await mkdtemp(join(tmpdir(), 'take-a-number-groups-'));
  try {
    const file = join(dir, 'ticket.pdf');
    await page.pdf({ path: file, preferCSSPageSize: true });
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    assert.match(text, /\b100\b/);
    assert.match(text, /Priority/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }

  // Reception has no groups: one tap, a ticket, no group line; Escape leaves the question.
  const before = await page.evaluate(() => window.__answers);
  await card(page, 'Reception').getByRole('button', { name: 'Take a number' }).click();
  await page.waitForFunction((count) => window.__answers > count, before);
  assert.equal(await page.isVisible('#group-picker'), false, 'never asked');
  assert.equal(await page.textContent('#ticket-number'), '1');
  assert.equal(await page.isVisible('#ticket-group'), false);
  await card(page, 'Blood tests').getByRole('button', { name: 'Take a number' }).click();
  await page.waitForSelector('#group-picker:not([hidden])');
  await page.keyboard.press('Escape');
  assert.equal(await page.isVisible('#group-picker'), false);
  assert.equal(await page.evaluate(() => document.activeElement.dataset.department), 'blood-tests');
});

test('in Spanish: the question, the groups, their descriptions and the ticket', async () => {
  const page = await open(context);
  await page.getByRole('button', { name: 'Español' }).click();
  await card(page, 'Farmacia').getByRole('button', { name: 'Sacar número' }).click();
  await page.waitForSelector('#group-picker:not([hidden])');
  assert.equal(await page.textContent('#group-picker-title'), 'Farmacia: elija su fila');
  assert.deepEqual(await choices(page), [
    { group: 'standard', name: 'General', description: 'Resto de personas', icon: true },
    { group: 'priority', name: 'Prioritario', description: 'Mayores de 65, embarazadas o personas con discapacidad', icon: true },
  ]);
  assert.equal(await page.textContent('#group-picker .group-back'), 'Volver a los departamentos');
  // The language changes under an open question too.
  await page.getByRole('button', { name: 'English' }).click();
  assert.equal(await page.textContent('#group-picker-title'), 'Pharmacy: choose your queue');
  await page.getByRole('button', { name: 'Español' }).click();
  await scan(page, 'the group picker in Spanish');
  await page.getByRole('button', { name: /^Prioritario/ }).click();
  await page.waitForSelector('#ticket:not([hidden])');
  assert.equal(await page.textContent('#ticket-group'), 'Prioritario');
  assert.match(await page.textContent('#announce-ticket'), /Farmacia, fila Prioritario/);
});

test('the windows of one browser share the groups and their order: a priority ticket goes before the standard ones', async () => {
  const a = await open(context);
  const b = await open(context);
  await take(a, 'Blood tests', 'standard');
  assert.equal(await a.textContent('#ticket-ahead'), 'You are next.');
  await take(b, 'Blood tests', 'standard');
  assert.equal(await b.textContent('#ticket-ahead'), '1 person ahead of you.');
  // Blood tests serve priority first: the third ticket has nobody ahead of it.
  await take(a, 'Blood tests', 'priority');
  assert.equal(await a.textContent('#ticket-number'), '202');
  assert.equal(await a.textContent('#ticket-group'), 'Priority');
  assert.equal(await a.textContent('#ticket-ahead'), 'You are next.');
  await take(b, 'Blood tests', 'priority');
  assert.equal(await b.textContent('#ticket-ahead'), '1 person ahead of you.');
  // A counter calls: the department's order, priority first, whichever window calls.
  const desk = await open(context, '#staff');
  await openConsole(desk, origin);
  await chooseCounter(desk, 'blood-tests', '1');
  const called = [];
  for (let i = 0; i < 4; i++) called.push(/(\d+)/.exec(await act(desk, 'blood-tests', 'serve'))[1]);
  assert.deepEqual(called, ['202', '203', '200', '201']);
});

test('a ratio department\'s calls follow its ratio on the board: two standard, then one priority', async () => {
  const page = await open(context);
  for (let i = 0; i < 4; i++) await take(page, 'Pharmacy', 'standard'); // 100..103
  for (let i = 0; i < 2; i++) await take(page, 'Pharmacy', 'priority'); // 104, 105
  const board = await open(context, '#board');
  const desk = await open(context, '#staff');
  await openConsole(desk, origin);
  const called = [];
  for (let i = 0; i < 6; i++) called.push(/(\d+)/.exec(await act(desk, 'pharmacy', 'serve'))[1]);
  // The smooth 2:1 round robin (src/rules/order.rs): S P S S P S.
  assert.deepEqual(called, ['100', '104', '101', '102', '105', '103']);
  await board.bringToFront();
  const tile = boardTile(board, 'Pharmacy');
  // The board lists the last five calls, newest first.
  await board.waitForFunction(() => document.querySelectorAll('.board-tile[data-department="pharmacy"] .board-calls li').length === 5);
  const calls = await tile.locator('.board-calls .call-number').allTextContents();
  // Each number carries its group's mark, told apart by its icon, its letter and its name (for a
  // screen reader), never by colour alone.
  const marks = await tile.locator('.board-calls .call-number').evaluateAll((numbers) => numbers.map((n) => {
    const mark = n.querySelector('.group-mark');
    const letter = mark && getComputedStyle(mark.querySelector('.group-letter'), '::after').content;
    return mark && { group: mark.dataset.group, name: mark.getAttribute('aria-label'), icon: mark.querySelector('svg') !== null, letter };
  }));
  const groupOf = { 100: 'standard', 101: 'standard', 102: 'standard', 103: 'standard', 104: 'priority', 105: 'priority' };
  assert.deepEqual(calls.map((text) => /(\d+)/.exec(text)[1]).reverse(), called.slice(1));
  assert.deepEqual(marks.map((m) => m?.group).reverse(), called.slice(1).map((n) => groupOf[n]));
  assert.ok(marks.every((m) => m.icon && m.name.length > 0 && m.letter !== 'none' && m.letter !== ''), JSON.stringify(marks));
  assert.notEqual(marks.find((m) => m.group === 'standard').letter, marks.find((m) => m.group === 'priority').letter,
    'the two groups\' letters differ');
  assert.ok(await tile.locator('.board-group').count() === 2, 'the tile counts who waits in each group');
});
