// The follow address (www/js/follow/address.js): what the kiosk puts in the QR code and what the
// phone's page reads back, for every ticket and against any hash a phone may be given.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { followAddress, parseFollow } from '../../www/js/follow/address.js';

const ticket = { department: 'blood-tests', number: 204, taken: 1_760_000_000_000, language: 'es' };

test('the address is the follow page next to the kiosk page, with the ticket in the hash only', () => {
  for (const base of ['https://kiosk.example/', 'https://kiosk.example/index.html', 'https://kiosk.example/index.html?x=1#staff']) {
    const address = followAddress({ base, ...ticket });
    assert.equal(address, 'https://kiosk.example/follow.html#d=blood-tests&n=204&t=1760000000000&l=es');
  }
  assert.equal(followAddress({ base: 'https://example.org/queue/', ...ticket, language: undefined }),
    'https://example.org/queue/follow.html#d=blood-tests&n=204&t=1760000000000');
});

test('any ticket the kiosk can hand out reads back as itself', () => {
  fc.assert(fc.property(
    fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,39}$/), fc.nat({ max: Number.MAX_SAFE_INTEGER }),
    fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), fc.option(fc.constantFrom('en', 'es', 'pt-BR'), { nil: null }),
    (department, number, taken, language) => {
      const address = new URL(followAddress({ base: 'https://k.example/', department, number, taken, language }));
      assert.deepEqual(parseFollow(address.hash), { ticket: { department, number, taken, language }, problem: null });
    },
  ));
});

test('a kiosk refuses to make an address that leads nowhere, naming the field', () => {
  const good = { base: 'https://k.example/', department: 'a', number: 1, taken: 5 };
  assert.throws(() => followAddress({ ...good, base: 'k.example' }), /base must be an absolute URL/);
  assert.throws(() => followAddress({ ...good, base: 'ftp://k.example/' }), /http\(s\) URL/);
  assert.throws(() => followAddress({ ...good, department: 'A b' }), /department id/);
  assert.throws(() => followAddress({ ...good, number: 1.5 }), /ticket number/);
  assert.throws(() => followAddress({ ...good, number: -1 }), /ticket number/);
  assert.throws(() => followAddress({ ...good, taken: 0 }), /time a ticket was taken/);
  assert.throws(() => followAddress({ ...good, language: 'english' }), /not a language/);
});

test('a malformed hash is refused with what is wrong with it', () => {
  const problem = (hash) => parseFollow(hash).problem;
  assert.deepEqual(problem(''), { key: 'follow.address.missing', params: {} });
  assert.deepEqual(problem('#'), { key: 'follow.address.missing', params: {} });
  assert.deepEqual(problem(undefined), { key: 'follow.address.missing', params: {} });
  assert.deepEqual(problem('#d=a&n=1'), { key: 'follow.address.missing-field', params: { field: 't' } });
  assert.deepEqual(problem('#d=a&d=b&n=1&t=2'), { key: 'follow.address.twice', params: { field: 'd' } });
  assert.deepEqual(problem('#d=Pharmacy&n=1&t=2'), { key: 'follow.address.department', params: {} });
  assert.deepEqual(problem('#d=a&n=1e3&t=2'), { key: 'follow.address.number', params: {} });
  assert.deepEqual(problem('#d=a&n=%201&t=2'), { key: 'follow.address.number', params: {} });
  assert.deepEqual(problem('#d=a&n=99999999999999999&t=2'), { key: 'follow.address.number', params: {} });
  assert.deepEqual(problem('#d=a&n=1&t=0'), { key: 'follow.address.taken', params: {} });
  assert.deepEqual(problem('#d=a&n=1&t=2&l=xx_YY'), { key: 'follow.address.language', params: {} });
  assert.deepEqual(problem('#d=a&n=%E0%A4%A&t=2'), { key: 'follow.address.malformed', params: { field: 'n' } });
  assert.deepEqual(problem(`#d=a&n=1&t=2&x=${'y'.repeat(300)}`), { key: 'follow.address.too-long', params: {} });
  // Parameters of a later kiosk are no reason to refuse the ticket.
  assert.equal(parseFollow('d=a&n=1&t=2&v=2&flag').problem, null);
});

test('whatever a phone is given, the parser answers a ticket or a problem and never throws', () => {
  fc.assert(fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.anything()), (hash) => {
    const { ticket, problem } = parseFollow(hash);
    assert.ok((ticket === null) !== (problem === null));
    if (problem) assert.match(problem.key, /^follow\.address\.[a-z-]+$/);
  }));
});
