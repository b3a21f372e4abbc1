// A hub accounts file as the hub scripts see it: its users and their password hashes (or, for
// the public visitor, its password). The
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

/**
 * The users whose password is public by design, and their shipped one: the visitor, whose
 * password every phone that follows a ticket gets in the follow page's config.json. It is
 * written as it is (a bcrypt hash would protect nothing and cost the hub a tenth of a second at
 * each phone's sign-in), it may be the shipped one beyond loopback, and no other user may have it.
 */
export const PUBLIC_USERS = new Map([['visitor', 'visitor']]);

/** Whether `user`'s password is public by design (PUBLIC_USERS). */
export const isPublic = (user) => PUBLIC_USERS.has(user);

/**
 * A public user's password goes into the file as it is, between double quotes: printable ASCII
 * without a double quote, a backslash, `$` or a space (what nats-server's parser would read
 * otherwise), 64 characters at most.
 */
export const PUBLIC_PASSWORD = /^[!#%-[\]-~]{1,64}$/;

/** The shipped password of `user`, printed in the repository for anyone to read. */
export const demoPassword = (user) => PUBLIC_USERS.get(user) ?? `${user}-demo`;

/** What the file holds for `user`'s `password`: its bcrypt hash, or a public user's password itself. */
export const stored = (user, password) => (isPublic(user) ? password : hash(password));

/** Whether `password` is the one `user`'s stored value (a hash, or a public user's password) stands for. */
export const matches = (user, password, value) => (isPublic(user) ? password === value : bcrypt.compareSync(password, value));

// Every user of hub/accounts.conf is written this way: its name, then its password's hash.
const USER = /(user: ([\w-]+)\s+password: ")([^"]*)(")/g;

/** The users of accounts file `text` and their hashes, in the file's order. */
export const hashes = (text) => new Map([...text.matchAll(USER)].map(([, , user, hashed]) => [user, hashed]));

/** The users of `text` whose password is still their demo one (a public user's is no secret: not listed). */
export const demoUsers = (text) => [...hashes(text)]
  .filter(([user, hashed]) => !isPublic(user) && bcrypt.compareSync(demoPassword(user), hashed))
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
