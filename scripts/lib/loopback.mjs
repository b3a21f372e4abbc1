// Whether a server's listen address keeps it on this computer.
import { isIPv4 } from 'node:net';

/**
 * True for the loopback addresses (127.0.0.0/8, ::1, localhost). Anything else counts as the
 * network: 0.0.0.0, an empty host (nats-server then listens everywhere), a name, and other
 * spellings of ::1, which is the safe side to err on.
 */
export const isLoopback = (host) => host === 'localhost' || host === '::1' || host === '[::1]'
  || (isIPv4(host) && host.startsWith('127.'));
