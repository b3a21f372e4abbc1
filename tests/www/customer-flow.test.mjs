// The customer screen's way back to the start (www/js/model/customer-flow.js), with made-up
// times: after a ticket, and after a language picked by someone who walked away.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CustomerFlow } from '../../www/js/model/customer-flow.js';

test('after a ticket the customer screen goes back to the start and the default language', () => {
  const flow = new CustomerFlow({ defaultLanguage: 'en', ticketMs: 20_000 });
  flow.choose('es', 0);
  assert.deepEqual([flow.language, flow.deadline], ['es', 20_000]);
  flow.ticketShown(5_000);
  assert.deepEqual([flow.screen, flow.language, flow.deadline], ['ticket', 'es', 25_000], 'the ticket is in the customer\'s language');
  assert.equal(flow.tick(24_999), false);
  assert.equal(flow.tap(24_000, { onTicket: true }), false, 'a tap on the ticket (printing it) keeps it');
  assert.equal(flow.screen, 'ticket');
  assert.equal(flow.tick(44_000), true, 'ticketMs after the last touch');
  assert.deepEqual([flow.screen, flow.language, flow.deadline], ['start', 'en', null]);

  flow.ticketShown(50_000);
  assert.equal(flow.tap(51_000), true, 'the next tap elsewhere ends it at once');
  assert.equal(flow.screen, 'start');

  // Key presses are someone reading the ticket: they push the deadline back.
  flow.ticketShown(60_000);
  flow.activity(75_000);
  assert.equal(flow.tick(80_000), false);
  assert.equal(flow.tick(95_000), true);

  // A customer who picks a language and leaves: back to the default after ticketMs.
  flow.choose('es', 100_000);
  assert.equal(flow.tap(110_000), false, 'a tap on the start screen is activity');
  assert.equal(flow.tick(125_000), false);
  assert.equal(flow.tick(130_000), true);
  assert.equal(flow.language, 'en');

  // Another language picked while a ticket is on screen: the next customer, so the ticket goes.
  flow.ticketShown(200_000);
  flow.choose('es', 201_000);
  assert.deepEqual([flow.screen, flow.language], ['start', 'es']);
  flow.choose('en', 202_000);
  assert.equal(flow.deadline, null, 'the default language needs no way back');
});

test('new settings: the start screen takes the new default language, a ticket keeps its deadline, a language no longer offered goes', () => {
  const flow = new CustomerFlow({ defaultLanguage: 'en', ticketMs: 20_000 });
  flow.configure({ defaultLanguage: 'es', ticketMs: 10_000, offered: ['en', 'es'] });
  assert.deepEqual([flow.screen, flow.language, flow.defaultLanguage], ['start', 'es', 'es'], 'nobody had picked a language');
  flow.ticketShown(0);
  flow.configure({ defaultLanguage: 'en', ticketMs: 30_000, offered: ['en', 'es'] });
  assert.deepEqual([flow.screen, flow.language, flow.deadline], ['ticket', 'es', 10_000], 'the ticket on screen is left as it is');
  assert.equal(flow.tick(10_000), true);
  assert.equal(flow.language, 'en');
  flow.ticketShown(20_000);
  assert.equal(flow.deadline, 50_000, 'the new ticket time from the next ticket on');
  // A customer who picked Spanish, then Spanish is no longer offered.
  flow.backToStart();
  flow.choose('es', 60_000);
  flow.configure({ defaultLanguage: 'en', ticketMs: 30_000, offered: ['en'] });
  assert.equal(flow.language, 'en');
});
