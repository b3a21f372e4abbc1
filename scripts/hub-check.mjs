// `make hub` runs this before it starts the server: a hub that listens beyond this computer must
// not let anyone in with a password that is printed in the repository. It refuses (exit 1,
// saying how to fix it) when HUB_HOST is not a loopback address and a user of ACCOUNTS still has
// its demo password; on loopback the demo accounts are what a trial on one computer runs with.
// It also warns when a facility's accounts were written from another hub/accounts.conf than the
// repository's (its permissions may be out of date).
//   HUB_HOST=0.0.0.0 node scripts/hub-check.mjs ACCOUNTS
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SHIPPED, demoUsers, isFrom } from './lib/accounts-file.mjs';
import { isLoopback } from './lib/loopback.mjs';

const accounts = process.argv[2];
if (!accounts) {
  console.error('usage: HUB_HOST=ADDRESS node scripts/hub-check.mjs ACCOUNTS');
  process.exit(2);
}
const host = process.env.HUB_HOST ?? '';
const text = readFileSync(accounts, 'utf8');

if (!isLoopback(host)) {
  const demo = demoUsers(text);
  if (demo.length > 0) {
    console.error(`make hub: refusing to listen on ${host || 'every address'}: ${demo.join(', ')} still `
      + `${demo.length === 1 ? 'has its' : 'have their'} demo password (${accounts}), which anyone can read `
      + 'in the repository.\nRun `make hub-accounts` to give every user a password of its own, then `make hub` again.');
    process.exit(1);
  }
}

const shipped = readFileSync(SHIPPED, 'utf8');
if (resolve(accounts) !== SHIPPED && !isFrom(shipped, text)) {
  console.error(`make hub: ${accounts} was not written from this repository's hub/accounts.conf as it is `
    + 'now: its users or permissions may be out of date. Run `make hub-accounts` again (Enter keeps each password).');
}
