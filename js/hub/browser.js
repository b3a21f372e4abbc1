// The kiosk page's hub bundle (www/pkg/hub-browser.js, built by scripts/bundle-hub.mjs): the
// package's hub entry with the NATS client inside, loaded by the page with a dynamic import only
// when config.json names a hub, so a kiosk without one downloads none of it.
import { wsconnect } from '@nats-io/nats-core';
import { Hub, CONNECTION_OPTIONS } from './index.js';

export * from './index.js';

/**
 * Connects to the hub at `url` (`wss://…`, or `ws://` on loopback) with a device's credentials
 * and returns its Hub. Waits for the hub if it is not up yet, and reconnects by itself after.
 */
export async function connectHub({ url, user, pass, ...options }) {
  const connection = await wsconnect({ servers: url, user, pass, ...CONNECTION_OPTIONS, ...options });
  return new Hub({ connection });
}
