import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import selfsigned from 'selfsigned';
import { tlsServerOptions } from '../../server/http/tls-options';
import { closeServer, listenOnLoopback, portOf } from '../support/loopback';
import { startRunningStore, type RunningStoreHandle } from '../support/running-store';
import { useTeardown } from '../support/teardown';

// The store's real listeners, as startStore makes them (issue 11, parts 2 and 4): the TLS policy
// of the HTTPS listener, and the timeouts of both listeners against clients too slow to finish.

const HEADERS_TIMEOUT_MS = 1000;
const REQUEST_TIMEOUT_MS = 2000;
/** Node checks its timeouts on an interval (a quarter of the headers timeout here), and the machine is shared. */
const SLACK_MS = 1500;

/** An RSA certificate for localhost, so that the ECDHE-RSA and plain-RSA suites can be negotiated at all. */
function rsaCertificate(dir: string): { certFile: string; keyFile: string } {
  const certFile = path.join(dir, 'rsa-cert.pem');
  const keyFile = path.join(dir, 'rsa-key.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=localhost'].concat([
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ]),
    {
      stdio: 'ignore',
    },
  );
  return { certFile, keyFile };
}

type Handshake = { ok: true; protocol: string | null; cipher: string } | { ok: false; error: string };

/** Opens a TLS connection with the client settings given and reports what was agreed, or why it failed. */
function handshake(port: number, options: tls.ConnectionOptions = {}): Promise<Handshake> {
  return new Promise((resolve) => {
    const socket = tls.connect({ host: '127.0.0.1', port, servername: 'localhost', rejectUnauthorized: false, ...options });
    socket.once('secureConnect', () => {
      resolve({ ok: true, protocol: socket.getProtocol(), cipher: socket.getCipher().name });
      socket.destroy();
    });
    socket.once('error', (err) => resolve({ ok: false, error: err.message }));
  });
}

/** A TLS 1.1 client that really can speak TLS 1.1 (OpenSSL 3 refuses it at its default security level). */
const TLS11_CLIENT: tls.ConnectionOptions = { minVersion: 'TLSv1.1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' };

/** TLS 1.2 suites a scanner calls weak: static RSA key exchange (no forward secrecy) or CBC. */
const WEAK_TLS12_SUITES = ['AES128-SHA', 'AES128-GCM-SHA256', 'AES256-SHA256', 'ECDHE-RSA-AES128-SHA', 'ECDHE-RSA-AES256-SHA384'];

const weakClient = (suite: string): tls.ConnectionOptions => ({
  minVersion: 'TLSv1.2',
  maxVersion: 'TLSv1.2',
  ciphers: `${suite}@SECLEVEL=0`,
});

/** A server that accepts anything OpenSSL can still speak: proof that the clients above are real. */
async function permissiveServer(material: { cert: string; key: string }): Promise<tls.Server> {
  const server = tls.createServer({ ...material, minVersion: 'TLSv1', ciphers: 'ALL@SECLEVEL=0' }, (socket) => socket.end());
  return listenOnLoopback(server);
}

interface CutOff {
  /** Milliseconds from the first byte sent until the store closed the connection. */
  readonly afterMs: number;
  /** What the store said before closing, if anything. */
  readonly answer: string;
  readonly bytesSent: number;
}

/**
 * Sends `opening` and then one more byte every 200 ms (none when `drip` is false), never finishing,
 * until the store closes the connection (or `giveUpMs` passes, which fails the test).
 */
function dripUntilClosed(socket: net.Socket, opening: string, drip = true, giveUpMs = REQUEST_TIMEOUT_MS + 3 * SLACK_MS): Promise<CutOff> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let answer = '';
    let bytesSent = opening.length;
    if (opening) socket.write(opening);
    const dripping = setInterval(() => {
      if (drip && socket.writable) {
        socket.write('a');
        bytesSent += 1;
      }
    }, 200);
    const giveUp = setTimeout(() => {
      clearInterval(dripping);
      socket.destroy();
      reject(new Error(`the store still held the connection after ${giveUpMs} ms (${bytesSent} bytes sent)`));
    }, giveUpMs);
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.once('close', () => {
      clearInterval(dripping);
      clearTimeout(giveUp);
      resolve({ afterMs: Date.now() - started, answer, bytesSent });
    });
  });
}

function connectTls(port: number): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, servername: 'localhost', rejectUnauthorized: false }, () => resolve(socket));
    socket.once('error', reject);
  });
}

function connectPlain(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Cut off by a 408 (Node answers one when it can) or by the connection simply closing; never served. */
function expectCutOff(cut: CutOff, withinMs: number): void {
  expect(cut.answer === '' || cut.answer.startsWith('HTTP/1.1 408')).toBe(true);
  expect(cut.afterMs).toBeGreaterThanOrEqual(withinMs - 200);
  expect(cut.afterMs).toBeLessThan(withinMs + SLACK_MS);
}

describe('the store listeners', () => {
  const teardown = useTeardown();
  let store: RunningStoreHandle;
  let rsa: { cert: string; key: string };
  let permissive: tls.Server;

  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'padlock-listeners-'));
    teardown.defer(() => fs.rmSync(dir, { recursive: true, force: true }));
    const files = rsaCertificate(dir);
    rsa = { cert: fs.readFileSync(files.certFile, 'utf8'), key: fs.readFileSync(files.keyFile, 'utf8') };
    store = await teardown.track(
      startRunningStore({
        TLS_CERT_FILE: files.certFile,
        TLS_KEY_FILE: files.keyFile,
        HEADERS_TIMEOUT_SECONDS: String(HEADERS_TIMEOUT_MS / 1000),
        REQUEST_TIMEOUT_SECONDS: String(REQUEST_TIMEOUT_MS / 1000),
        KEEP_ALIVE_TIMEOUT_SECONDS: '3',
        SEED_DEMO_CATALOG: 'true',
      }),
      (s) => s.stop(),
    );
    permissive = await teardown.track(permissiveServer(rsa), closeServer);
  });

  describe('TLS policy of the HTTPS listener', () => {
    it('refuses a TLS 1.1 client, which a server allowing TLS 1.1 accepts', async () => {
      expect(await handshake(portOf(permissive), TLS11_CLIENT)).toMatchObject({ ok: true, protocol: 'TLSv1.1' });
      expect(await handshake(store.httpsPort!, TLS11_CLIENT)).toMatchObject({ ok: false });
    });

    it.each(WEAK_TLS12_SUITES)('refuses TLS 1.2 with only %s, which a permissive server accepts', async (suite) => {
      expect(await handshake(portOf(permissive), weakClient(suite))).toEqual({ ok: true, protocol: 'TLSv1.2', cipher: suite });
      expect(await handshake(store.httpsPort!, weakClient(suite))).toMatchObject({ ok: false });
    });

    it.each(['ECDHE-RSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES256-GCM-SHA384', 'ECDHE-RSA-CHACHA20-POLY1305'])(
      'accepts TLS 1.2 with %s',
      async (suite) => {
        const tls12 = { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', ciphers: suite } as const;
        expect(await handshake(store.httpsPort!, tls12)).toEqual({ ok: true, protocol: 'TLSv1.2', cipher: suite });
      },
    );

    it('picks the suite in its own order of preference, not the client’s', async () => {
      const ciphers = 'ECDHE-RSA-CHACHA20-POLY1305:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256';
      const agreed = await handshake(store.httpsPort!, { maxVersion: 'TLSv1.2', ciphers });
      expect(agreed).toMatchObject({ ok: true, cipher: 'ECDHE-RSA-AES128-GCM-SHA256' });
    });

    it('speaks TLS 1.3 to a current client, and serves it', async () => {
      expect(await handshake(store.httpsPort!)).toMatchObject({ ok: true, protocol: 'TLSv1.3' });
      const status = await new Promise<number | undefined>((resolve, reject) =>
        https
          .get(`https://127.0.0.1:${store.httpsPort}/healthz`, { ca: rsa.cert, servername: 'localhost', agent: false }, (res) => {
            res.resume();
            resolve(res.statusCode);
          })
          .on('error', reject),
      );
      expect(status).toBe(200);
    });

    it('holds for an ECDSA certificate (the generated one) too: ECDHE-ECDSA with AES-GCM only', async () => {
      const ec = await selfsigned.generate([{ name: 'commonName', value: 'localhost' }], {
        keyType: 'ec',
        curve: 'P-256',
        algorithm: 'sha256',
      });
      const server = await teardown.track(
        listenOnLoopback(tls.createServer(tlsServerOptions({ cert: ec.cert, key: ec.private }), (s) => s.end())),
        closeServer,
      );
      const good = { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256' } as const;
      expect(await handshake(portOf(server), good)).toEqual({ ok: true, protocol: 'TLSv1.2', cipher: 'ECDHE-ECDSA-AES128-GCM-SHA256' });
      expect(await handshake(portOf(server), weakClient('ECDHE-ECDSA-AES128-SHA'))).toMatchObject({ ok: false });
      expect(await handshake(portOf(server), TLS11_CLIENT)).toMatchObject({ ok: false });
    });
  });

  describe('timeouts: slow clients are cut off', () => {
    const slowHeaders = 'GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: ';

    it('HTTPS: headers sent a byte at a time are cut off at the headers timeout', async () => {
      const cut = await dripUntilClosed(await connectTls(store.httpsPort!), slowHeaders);
      expectCutOff(cut, HEADERS_TIMEOUT_MS);
      expect(cut.bytesSent).toBeGreaterThan(slowHeaders.length + 2);
    });

    it('plain HTTP: the same', async () => {
      const cut = await dripUntilClosed(await connectPlain(store.httpPort), slowHeaders);
      expectCutOff(cut, HEADERS_TIMEOUT_MS);
      expect(cut.bytesSent).toBeGreaterThan(slowHeaders.length + 2);
    });

    it('HTTPS: a body sent a byte at a time is cut off at the request timeout', async () => {
      const opening = 'POST /api/carts HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"a":"';
      const cut = await dripUntilClosed(await connectTls(store.httpsPort!), opening);
      expectCutOff(cut, REQUEST_TIMEOUT_MS);
    });

    it('HTTPS: a connection that never starts its TLS handshake is closed at the headers timeout', async () => {
      const cut = await dripUntilClosed(await connectPlain(store.httpsPort!), '', false);
      expectCutOff(cut, HEADERS_TIMEOUT_MS);
    });

    it('an ordinary keep-alive client is unaffected: one connection, requests spread past every timeout', async () => {
      const agent = new https.Agent({ keepAlive: true, maxSockets: 1, ca: rsa.cert, servername: 'localhost' });
      teardown.defer(() => agent.destroy());
      const ports = new Set<number>();
      const started = Date.now();
      for (let i = 0; i < 4; i++) {
        if (i > 0) await new Promise((r) => setTimeout(r, 800));
        const { status, localPort } = await new Promise<{ status?: number; localPort?: number }>((resolve, reject) =>
          https
            .get(`https://127.0.0.1:${store.httpsPort}/api/products`, { agent }, (res) => {
              const localPort = res.socket.localPort;
              res.resume();
              res.on('end', () => resolve({ status: res.statusCode, localPort }));
            })
            .on('error', reject),
        );
        expect(status).toBe(200);
        ports.add(localPort!);
      }
      expect(Date.now() - started).toBeGreaterThan(REQUEST_TIMEOUT_MS);
      expect(ports.size).toBe(1);
    });
  });
});
