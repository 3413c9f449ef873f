import type http from 'node:http';
import net from 'node:net';

// Servers the tests start themselves always listen on port 0 (the system picks a free port) and
// read it back: picking a "free" port first and listening on it later races with every other
// process on the machine.

/** Makes `server` listen on a loopback port the system picks; resolves to the server once it listens. */
export function listenOnLoopback<S extends net.Server>(server: S): Promise<S> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

/** The port a listening server got. */
export function portOf(server: net.Server): number {
  return (server.address() as net.AddressInfo).port;
}

/** Stops listening and drops the connections still open (an idle keep-alive client would hold close() open). */
export function closeServer(server: net.Server | http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // http.Server and https.Server (which is not an http.Server) both have it.
    if ('closeAllConnections' in server) server.closeAllConnections();
  });
}

/** A server that accepts connections and never says anything: a hung service, or a firewall that drops. */
export interface SilentServer {
  readonly port: number;
  /** How many connections it accepted. */
  connections(): number;
  stop(): Promise<void>;
}

export async function startSilentServer(): Promise<SilentServer> {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await listenOnLoopback(server);
  return {
    port: portOf(server),
    connections: () => accepted,
    stop: () => {
      for (const socket of sockets) socket.destroy();
      return closeServer(server);
    },
  };
}

/**
 * A loopback port that refuses connections, held for as long as the test needs it: it stands for
 * a service that is down (connecting gets ECONNREFUSED, as from a stopped store).
 *
 * Nothing listens on it, yet no other process can start listening on it meanwhile: the port is
 * the local end of a TCP connection this process keeps open to itself, and the kernel neither
 * binds a listener to a port such a connection holds (EADDRINUSE, also for port 0's choice) nor
 * lets a new connection reach it (a SYN to a port without a listener is answered with a reset).
 */
export interface RefusingPort {
  readonly port: number;
  /** Lets the port go (closes the connection that holds it). */
  release(): void;
}

/** Holds a {@link RefusingPort}; register `release` with the suite's teardown. */
export async function holdRefusingPort(): Promise<RefusingPort> {
  const server = await listenOnLoopback(net.createServer());
  const accepted = new Promise<net.Socket>((resolve) => server.once('connection', resolve));
  const client = net.connect(portOf(server), '127.0.0.1');
  try {
    await new Promise<void>((resolve, reject) => {
      client.once('connect', resolve);
      client.once('error', reject);
    });
  } catch (error) {
    server.close();
    throw error;
  }
  const peer = await accepted;
  // Stops listening now; the one accepted connection stays up (it holds the port).
  server.close();
  for (const socket of [client, peer]) {
    socket.on('error', () => undefined);
    // Holding a port is no reason for jest to wait: a forgotten release() keeps nothing alive.
    socket.unref();
  }
  return {
    port: client.localPort!,
    release() {
      // The peer closes first, so that the TIME_WAIT a closed connection leaves is on its side,
      // not on the held port: the port is free again at once.
      client.resume();
      peer.destroy();
    },
  };
}

/**
 * A loopback port nobody listens on right now, for the few servers that cannot be given port 0
 * and say which one they got (mariadbd, HAProxy). The window until they bind is short; only they
 * use it.
 */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
