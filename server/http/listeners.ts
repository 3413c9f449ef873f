import http from 'node:http';
import https from 'node:https';
import type { ListenerTimeouts } from '../config';
import { tlsServerOptions } from './tls-options';

/** Node checks the headers and request timeouts on an interval; the cut-off comes at most this late. */
const LONGEST_CHECK_INTERVAL_MS = 1000;

function timeoutOptions(timeouts: ListenerTimeouts): http.ServerOptions {
  const headersMs = timeouts.headersSeconds * 1000;
  return {
    headersTimeout: headersMs,
    requestTimeout: timeouts.requestSeconds * 1000,
    keepAliveTimeout: timeouts.keepAliveSeconds * 1000,
    // Node's default (30 s) would let a slow client hold its connection that much past the timeout.
    connectionsCheckingInterval: Math.min(LONGEST_CHECK_INTERVAL_MS, headersMs / 4),
  };
}

/** A connection without traffic either way (a client that stops reading its answer) is closed. */
function closingIdleSockets<S extends http.Server>(server: S, timeouts: ListenerTimeouts): S {
  server.setTimeout(timeouts.requestSeconds * 1000);
  return server;
}

/** The plain HTTP listener (redirects; in TRUST_PROXY mode the store's only listener), with the timeouts. */
export function createHttpListener(timeouts: ListenerTimeouts, handler: http.RequestListener): http.Server {
  return closingIdleSockets(http.createServer(timeoutOptions(timeouts), handler), timeouts);
}

/**
 * The HTTPS listener: the store's TLS policy, and the timeouts, where the headers timeout also
 * bounds the TLS handshake (which comes before any HTTP timeout starts).
 */
export function createHttpsListener(
  tls: { readonly cert: string; readonly key: string },
  timeouts: ListenerTimeouts,
  handler: http.RequestListener,
): https.Server {
  const options: https.ServerOptions = {
    ...tlsServerOptions(tls),
    ...timeoutOptions(timeouts),
    handshakeTimeout: timeouts.headersSeconds * 1000,
  };
  return closingIdleSockets(https.createServer(options, handler), timeouts);
}
