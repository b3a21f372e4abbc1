// A hub accounts file as the hub scripts see it: its users and their password hashes. The
// shipped hub/accounts.conf is the template of every facility's own copy (`make hub-accounts`),
// which differs from it only in the hashes and a header: so the permissions stay the shipped,
// tested ones, and a copy written from an older template can be told apart.
import { fileURLToPath } from 'node:url';
import bcrypt from 'bcryptjs';

/** The shipped accounts: the template, with the demo passwords. */
export const SHIPPED = fileURLToPath(new URL('../../hub/accounts.conf', import.meta.url));

/** The shortest password the scripts accept. */
export const MIN_LENGTH = 12;

/** bcrypt's cost for a new hash: about a tenth of a second, paid by the server at each sign-in. */
const COST = 11;

/** The hash of `password`, as the server compares it. */
export const hash = (password) => bcrypt.hashSync(password, COST);

/** The shipped password of `user`, printed in the repository for anyone to read. */
export const demoPassword = (user) => `${user}-demo`;

// Every user of hub/accounts.conf is written this way: its name, then its password's hash.
const USER = /(user: ([\w-]+)\s+password: ")([^"]*)(")/g;

/** The users of accounts file `text` and their hashes, in the file's order. */
export const hashes = (text) => new Map([...text.matchAll(USER)].map(([, , user, hashed]) => [user, hashed]));

/** The users of `text` whose password is still their demo one. */
export const demoUsers = (text) => [...hashes(text)]
  .filter(([user, hashed]) => bcrypt.compareSync(demoPassword(user), hashed))
  .map(([user]) => user);

const HEADER = `# This facility's own hub accounts, written by \`make hub-accounts\` (scripts/hub-accounts.mjs)
# from the repository's hub/accounts.conf: the same users and permissions, with this facility's
# passwords. \`make hub\` runs with it. To change a password, or after an update of
# hub/accounts.conf, run \`make hub-accounts\` again (Enter keeps a password) rather than editing.

`;

/** A facility's accounts file: `template` with each user's hash taken from `byUser`. */
export const facilityAccounts = (template, byUser) => HEADER
  + template.replace(USER, (line, before, user, hashed, after) => before + byUser.get(user) + after);

/**
 * Whether facility file `text` is what `template`, as it is now, gives with the file's hashes (a
 * user the file lacks gives no hash, so never the same text).
 */
export const isFrom = (template, text) => facilityAccounts(template, hashes(text)) === text;
