// Prints the bcrypt hash of a hub password, to paste into hub/accounts.conf (in double quotes):
//   node scripts/hub-passwd.mjs 'a long new password'
// The server stores and compares only the hash, so the configuration never holds a password.
import bcrypt from 'bcryptjs';

const password = process.argv[2];
if (!password || password.length < 12) {
  console.error('usage: node scripts/hub-passwd.mjs PASSWORD   (12 characters or more)');
  process.exit(2);
}
console.log(bcrypt.hashSync(password, 11));
