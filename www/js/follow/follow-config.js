// config.json's `follow` object: whether customers may follow their ticket on their phones, and
// how phones reach the facility. Meaningful only with a hub, since the phone reads the queue
// from it; left out, nothing is offered to phones (opening the hub to a guest network is a
// decision a facility makes, not a default):
//
//   "follow": { "page": "https://queue.riverside.example/", "hub": "wss://hub.riverside.example:9443",
//               "user": "visitor", "pass": "visitor", "alertAhead": 3 }
//
// `page`: the site phones open (default: the kiosk page's own address); `hub`: the hub's
// WebSocket as phones reach it, one address or a cluster's list (default: `hub.url`); `user`
// and `pass`: the hub's public visitor account (it can read the public summaries and nothing
// else, so its password is no secret: every phone gets it); `alertAhead`: the phone alerts
// once when this many people or fewer are ahead.
//
// Read like the rest of the file (config-reading.js): every problem at its field, as
// `{ path, key, params }` with `key` "follow.config.<what>", an i18n key.

export const ALERT_AHEAD = { min: 0, max: 50, default: 3 };
export const VISITOR = 'visitor';

const isRecord = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);
const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

/**
 * `{ config, problems }` for parsed config.json: `config` null when the facility offers no
 * following (no `follow`), else `{ page, urls, user, pass, alertAhead }` (`page` null: the kiosk
 * page's own address), meaningful only without problems.
 */
export function followConfigOf(raw) {
  const problems = [];
  const check = (ok, path, key, params = {}) => {
    if (!ok) problems.push({ path, key, params });
    return ok;
  };
  if (!isRecord(raw) || raw.follow === undefined || raw.follow === null) return { config: null, problems };
  const follow = raw.follow;
  if (!check(isRecord(follow), ['follow'], 'follow.config.shape')) return { config: null, problems };
  const hubUrls = isRecord(raw.hub) ? [raw.hub.url].flat().filter((url) => url !== undefined) : [];
  check(hubUrls.length > 0, ['follow'], 'follow.config.no-hub');

  let page = null;
  if (follow.page !== undefined && follow.page !== null) {
    const url = secureUrl(follow.page, ['https:', 'http:']);
    if (check(url !== null, ['follow', 'page'], 'follow.config.page')) page = url.href;
  }
  let urls = hubUrls;
  if (follow.hub !== undefined && follow.hub !== null) {
    const listed = Array.isArray(follow.hub);
    const given = listed ? follow.hub : [follow.hub];
    check(given.length > 0, ['follow', 'hub'], 'follow.config.hub');
    given.forEach((value, i) => {
      const url = secureUrl(value, ['wss:', 'ws:']);
      if (check(url !== null, listed ? ['follow', 'hub', i] : ['follow', 'hub'], 'follow.config.hub')) {
        check(url.username === '' && url.password === '', listed ? ['follow', 'hub', i] : ['follow', 'hub'], 'follow.config.hub-credentials');
      }
    });
    urls = given;
  }
  const user = follow.user ?? VISITOR;
  check(typeof user === 'string' && user.trim() !== '' && !/\s/.test(user), ['follow', 'user'], 'follow.config.user');
  const pass = follow.pass ?? VISITOR;
  check(typeof pass === 'string' && pass !== '', ['follow', 'pass'], 'follow.config.pass');
  const alertAhead = follow.alertAhead ?? ALERT_AHEAD.default;
  check(Number.isSafeInteger(alertAhead) && alertAhead >= ALERT_AHEAD.min && alertAhead <= ALERT_AHEAD.max,
    ['follow', 'alertAhead'], 'follow.config.alert-ahead', { min: ALERT_AHEAD.min, max: ALERT_AHEAD.max });
  return { config: { page, urls: [...urls], user, pass, alertAhead }, problems };
}

/**
 * `value` as a URL of one of `protocols` with a host, or null. The plain one of each pair
 * (http:, ws:) only on loopback: a phone on a guest network must get the page and the queue
 * over TLS, and a browser refuses ws:// from an https:// page anyway.
 */
function secureUrl(value, [secure, plain]) {
  if (typeof value !== 'string') return null;
  let url;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.hostname === '') return null;
  if (url.protocol === secure) return url;
  return url.protocol === plain && LOOPBACK.test(url.hostname) ? url : null;
}
