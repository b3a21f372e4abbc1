// An esbuild plugin for the pages' NATS clients. @nats-io/nats-core brings @nats-io/nkeys (and
// tweetnacl with it: about 49 kB of the phone's 174 kB script) for nkey and JWT sign-ins, and
// ships as CommonJS, so esbuild cannot leave out what is never called. The pages sign in with a
// user and a password only (a device's account, staff's, the public visitor), so a stand-in
// takes its place; should a page ever be given an nkey, it says why the sign-in cannot work.
const STAND_IN = `
const refuse = () => { throw new Error('this page signs in to the hub with a user and a password; nkey and JWT sign-ins are not built in'); };
export const fromSeed = refuse, fromPublic = refuse, encode = refuse, decode = refuse,
  createUser = refuse, createAccount = refuse, createOperator = refuse, createPair = refuse;
`;

export const withoutNkeys = {
  name: 'without-nkeys',
  setup(build) {
    build.onResolve({ filter: /^@nats-io\/nkeys$/ }, () => ({ path: 'nkeys', namespace: 'without-nkeys' }));
    build.onLoad({ filter: /.*/, namespace: 'without-nkeys' }, () => ({ contents: STAND_IN, loader: 'js' }));
  },
};
