// `make hub-accounts`: a facility's own hub passwords, with no hash to copy by hand. For each user
// of hub/accounts.conf it asks for a password (twice, not shown; Enter keeps the one FILE has)
// and writes FILE: hub/accounts.conf with each user's hash replaced, readable by its owner only.
// `make hub` runs with FILE ($(HUB_ETC)/accounts.conf, outside the repository) when it exists.
//   node scripts/hub-accounts.mjs FILE
// Without a terminal (scripts, tests) the passwords come from the environment, one variable a
// user: HUB_PASSWORD_KIOSK, HUB_PASSWORD_BOARD, HUB_PASSWORD_STAFF, HUB_PASSWORD_MANAGER,
// HUB_PASSWORD_ADMIN, HUB_PASSWORD_VISITOR. A user without one keeps its password from FILE, if
// FILE has one. The visitor's password is public by design (phones get it in the follow page's
// config.json): it is written as it is, not hashed, may stay the shipped one (`visitor`), and
// need not be long; but no other user may share it.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import bcrypt from 'bcryptjs';
import { SHIPPED, MIN_LENGTH, hashes, demoPassword, facilityAccounts, isPublic, PUBLIC_PASSWORD, stored, matches } from './lib/accounts-file.mjs';
import { askPassword, Interrupted } from './lib/ask-password.mjs';

const file = process.argv[2];
if (!file) {
  console.error('usage: node scripts/hub-accounts.mjs FILE');
  process.exit(2);
}

function fail(message) {
  console.error(`${message}\nNothing written.`);
  process.exit(1);
}

const template = readFileSync(SHIPPED, 'utf8');
const shipped = hashes(template);
const current = existsSync(file) ? hashes(readFileSync(file, 'utf8')) : new Map();
// A public user without one in FILE starts from the shipped password: no secret to choose.
for (const user of shipped.keys()) if (isPublic(user) && !current.has(user)) current.set(user, shipped.get(user));
/** Each user's hash as it will be written. */
const chosen = new Map();
/** The passwords given in this run, to compare without bcrypt's cost. */
const given = new Map();

// A demo password is there to be replaced, so Enter cannot keep it (a public one can stay).
const keepable = (user) => current.has(user) && (isPublic(user) || !bcrypt.compareSync(demoPassword(user), current.get(user)));

/** What is wrong with `password` for `user`, or null when it will do. */
function problem(user, password) {
  if (isPublic(user)) {
    if (!PUBLIC_PASSWORD.test(password)) return 'must be 1 to 64 printable characters without spaces, quotes, backslashes or $';
  } else {
    if (password.length < MIN_LENGTH) return `is shorter than ${MIN_LENGTH} characters`;
    if (password === demoPassword(user)) return 'is the demo one, which anyone can read in the repository';
  }
  // One password for two users would give whoever holds one the other's rights too.
  const others = new Map([...current, ...chosen]);
  others.delete(user);
  for (const [other, hashed] of others) {
    const same = given.has(other) ? given.get(other) === password : matches(other, password, hashed);
    if (same) return `is ${other}'s too${isPublic(other) || isPublic(user) ? `, and ${isPublic(other) ? other : user}'s is public` : ''}`;
  }
  return null;
}

/** The new password of `user`, or null to keep the one FILE has. */
async function passwordOf(user) {
  const variable = `HUB_PASSWORD_${user.toUpperCase()}`;
  const set = process.env[variable];
  if (set !== undefined) {
    const why = problem(user, set);
    if (why !== null) fail(`${variable}: ${user}'s password ${why}.`);
    return set;
  }
  if (!process.stdin.isTTY) {
    if (keepable(user)) return null;
    fail(`${user} has no password yet: set ${variable} (there is no terminal to ask on).`);
  }
  for (;;) {
    const keep = keepable(user) ? ', Enter keeps the current one' : '';
    const typed = await askPassword(isPublic(user)
      ? `Password for ${user} (public: the follow page's config.json carries it${keep}): `
      : `Password for ${user} (${MIN_LENGTH} characters or more${keep}): `);
    if (typed === '' && keep) return null;
    const why = problem(user, typed);
    if (why !== null) {
      console.error(`That password ${why}.`);
    } else if ((await askPassword(`The same again: `)) !== typed) {
      console.error('The two differ.');
    } else {
      return typed;
    }
  }
}

try {
  for (const user of hashes(template).keys()) {
    const password = await passwordOf(user);
    if (password === null) {
      chosen.set(user, current.get(user));
    } else {
      given.set(user, password);
      chosen.set(user, stored(user, password));
    }
  }
} catch (error) {
  if (!(error instanceof Interrupted)) throw error;
  fail('Interrupted.');
}

// Written whole, then renamed: a hub reading the file never sees half of it.
mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
const partial = `${file}.${process.pid}.tmp`;
writeFileSync(partial, facilityAccounts(template, chosen), { mode: 0o600, flag: 'wx' });
renameSync(partial, file);
const what = [...chosen.keys()].map((user) => `${user} ${given.has(user) ? 'new' : 'kept'}`).join(', ');
console.log(`Wrote ${file} (${what}). \`make hub\` runs with it from its next start.`);
