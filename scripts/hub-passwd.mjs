// Prints the bcrypt hash of a hub password:
//   node scripts/hub-passwd.mjs 'a long new password'
// `make hub-accounts` sets the passwords of a facility's users without this; it is for a user or
// an account of your own (another facility's block in an accounts file, say).
// The server stores and compares only the hash, so the configuration never holds a password.
import { MIN_LENGTH, hash } from './lib/accounts-file.mjs';

const password = process.argv[2];
if (!password || password.length < MIN_LENGTH) {
  console.error(`usage: node scripts/hub-passwd.mjs PASSWORD   (${MIN_LENGTH} characters or more)`);
  process.exit(2);
}
console.log(hash(password));
