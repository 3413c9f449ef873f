import { execFile, spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { FOREIGN_PAGE, startForeignHttps, startPlainHttpOn, startRedirectingHttps, type HttpsEndpoint } from '../support/https-endpoints';
import { closeServer, listenOnLoopback, portOf } from '../support/loopback';
import { useTeardown } from '../support/teardown';
import {
  createTestCa,
  LOCAL_CA_DIR,
  selfSignedCertificate,
  SYSTEM_CA_BUNDLE,
  systemBundleHas,
  type IssuedCertificate,
  type TestCa,
} from '../support/test-ca';
import { newHostName } from '../support/wordpress';
import { fetchFollowing, fetchOnce } from '../support/wp-http';
import { startTlsProxy } from '../support/wp-tls-proxy';

// The TLS harness for checking a blog's https origin the way WordPress does: a test CA that the
// system (so PHP) trusts, certificates that are valid, expired or for another name, a TLS proxy
// that connects from its own loopback address, and https origins that are broken on purpose.

const DAY_MS = 24 * 60 * 60 * 1000;

/** What PHP's stream layer (WordPress's transport without php-curl) reports connecting to `ssl://127.0.0.1:<port>` as `peerName`. */
interface PhpTlsResult {
  readonly connected: boolean;
  /** Every warning PHP raised on the way, e.g. OpenSSL's error lines. */
  readonly warnings: string[];
  /** The start of the HTTP answer, when connected. */
  readonly response: string | null;
}

// Verifies as WordPress does: the system bundle, the peer's name, no exceptions.
const PHP_TLS_CLIENT = `
[$port, $peer, $cafile] = array_slice($argv, 1);
$warnings = [];
set_error_handler(function ($no, $message) use (&$warnings) { $warnings[] = $message; return true; });
$context = stream_context_create(['ssl' => ['verify_peer' => true, 'verify_peer_name' => true, 'peer_name' => $peer, 'cafile' => $cafile]]);
$socket = stream_socket_client("ssl://127.0.0.1:$port", $errno, $errstr, 5, STREAM_CLIENT_CONNECT, $context);
$response = null;
if ($socket) {
    fwrite($socket, "GET / HTTP/1.0\\r\\nHost: $peer\\r\\n\\r\\n");
    $response = substr((string) stream_get_contents($socket), 0, 2000);
    fclose($socket);
}
echo json_encode(['connected' => (bool) $socket, 'warnings' => $warnings, 'response' => $response]);
`;

function phpTlsConnect(port: number, peerName: string): Promise<PhpTlsResult> {
  return new Promise((resolve, reject) => {
    execFile(
      'php',
      ['-r', PHP_TLS_CLIENT, '--', String(port), peerName, SYSTEM_CA_BUNDLE],
      { timeout: 20_000 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`php failed: ${error.message}\n${stderr}`));
        else resolve(JSON.parse(stdout) as PhpTlsResult);
      },
    );
  });
}

describe('TLS infrastructure for WordPress tests', () => {
  const teardown = useTeardown();
  const blogHost = newHostName('tls-blog');
  let ca: TestCa;
  let valid: IssuedCertificate;
  let expired: IssuedCertificate;
  let otherHost: IssuedCertificate;
  /** Serve the blog's name with each certificate (the foreign page stands for any https answer). */
  let validEndpoint: HttpsEndpoint;
  let expiredEndpoint: HttpsEndpoint;
  let otherHostEndpoint: HttpsEndpoint;
  let selfSignedEndpoint: HttpsEndpoint;
  let untrust: () => Promise<void>;

  beforeAll(async () => {
    ca = await createTestCa();
    [valid, expired, otherHost] = await Promise.all([
      ca.issue(blogHost),
      ca.issue(blogHost, { notBefore: new Date(Date.now() - 40 * DAY_MS), notAfter: new Date(Date.now() - 10 * DAY_MS) }),
      ca.issue(newHostName('elsewhere')),
    ]);
    const selfSigned = await selfSignedCertificate(blogHost);
    validEndpoint = await teardown.track(startForeignHttps(valid), (e) => e.stop());
    expiredEndpoint = await teardown.track(startForeignHttps(expired), (e) => e.stop());
    otherHostEndpoint = await teardown.track(startForeignHttps(otherHost), (e) => e.stop());
    selfSignedEndpoint = await teardown.track(startForeignHttps(selfSigned), (e) => e.stop());
  });

  it('issues certificates for the name and the period asked, signed by the CA', () => {
    const caCert = new X509Certificate(ca.certPem);
    const validCert = new X509Certificate(valid.cert);
    const expiredCert = new X509Certificate(expired.cert);
    expect(validCert.checkIssued(caCert) && validCert.verify(caCert.publicKey)).toBe(true);
    expect(validCert.subjectAltName).toBe(`DNS:${blogHost}`);
    expect(new Date(validCert.validTo).getTime()).toBeGreaterThan(Date.now() + DAY_MS);
    expect(expiredCert.verify(caCert.publicKey)).toBe(true);
    expect(new Date(expiredCert.validFrom).getTime()).toBeLessThan(Date.now() - 39 * DAY_MS);
    expect(new Date(expiredCert.validTo).getTime()).toBeLessThan(Date.now() - 9 * DAY_MS);
    expect(new X509Certificate(otherHost.cert).subjectAltName).not.toContain(blogHost);
  });

  it('before the CA is trusted, PHP rejects even its valid certificate', async () => {
    expect(systemBundleHas(ca.certPem)).toBe(false);
    const result = await phpTlsConnect(validEndpoint.port, blogHost);
    expect(result.connected).toBe(false);
    expect(result.warnings.join('\n')).toContain('certificate verify failed');
  });

  describe('with the CA trusted system-wide', () => {
    /** A CA file as a killed run leaves it: its name carries the pid of a process that is gone. */
    let leftover: string;

    beforeAll(async () => {
      const gone = spawnSync('true').pid;
      leftover = path.join(LOCAL_CA_DIR, `padlock-test-${gone}-0badc0de.crt`);
      teardown.defer(() => fs.rmSync(leftover, { force: true }));
      fs.writeFileSync(leftover, (await createTestCa()).certPem);
      untrust = await ca.trustSystemWide();
      teardown.defer(untrust);
    });

    it('puts the CA into the bundle WordPress verifies against', () => {
      expect(systemBundleHas(ca.certPem)).toBe(true);
    });

    it('took out the CA files of runs that are gone', () => {
      expect(fs.existsSync(leftover)).toBe(false);
    });

    it('PHP verifies the valid certificate and gets the answer', async () => {
      const result = await phpTlsConnect(validEndpoint.port, blogHost);
      expect(result).toMatchObject({ connected: true, warnings: [] });
      expect(result.response).toContain(FOREIGN_PAGE);
    });

    it.each([
      ['expired', () => expiredEndpoint, /certificate verify failed/],
      ['for another host', () => otherHostEndpoint, /Peer certificate subjectAltName did not match expected name/],
      ['self-signed', () => selfSignedEndpoint, /certificate verify failed/],
    ])('PHP rejects a certificate that is %s', async (_, endpoint, reason) => {
      const result = await phpTlsConnect(endpoint().port, blogHost);
      expect(result.connected).toBe(false);
      expect(result.warnings.join('\n')).toMatch(reason);
      expect(endpoint().requests()).toBe(0);
    });

    it('PHP reaches a node https server through the proxy, which connects upstream from its own address with the headers given', async () => {
      const echo = await teardown.track(
        listenOnLoopback(
          http.createServer((req, res) => {
            res.writeHead(200, { 'Content-Type': 'application/json' });
            res.end(JSON.stringify({ remoteAddress: req.socket.remoteAddress, headers: req.headers }));
          }),
        ),
        (server) => closeServer(server),
      );
      const proxy = await teardown.track(
        startTlsProxy(blogHost, portOf(echo), {
          cert: valid,
          caPem: ca.certPem,
          upstreamAddress: '127.0.0.2',
          headers: { 'CF-Visitor': '{"scheme":"https"}' },
        }),
        (p) => p.stop(),
      );
      expect(proxy.certPem).toBe(valid.cert);
      expect(proxy.caPem).toBe(ca.certPem);

      const throughProxy = await fetchOnce(`${proxy.origin}/some/path`, { ca: proxy.caPem, headers: { 'X-Forwarded-Proto': 'http' } });
      const echoed = JSON.parse(throughProxy.body) as { remoteAddress: string; headers: http.IncomingHttpHeaders };
      expect(echoed.remoteAddress).toBe('127.0.0.2');
      expect(echoed.headers['cf-visitor']).toBe('{"scheme":"https"}');
      expect(echoed.headers['x-forwarded-proto']).toBeUndefined();
      expect(echoed.headers.host).toBe(`${blogHost}:${proxy.port}`);

      const fromPhp = await phpTlsConnect(proxy.port, blogHost);
      expect(fromPhp).toMatchObject({ connected: true, warnings: [] });
      expect(fromPhp.response).toContain('"remoteAddress":"127.0.0.2"');

      const direct = await fetchOnce(`http://${blogHost}:${portOf(echo)}/`, {
        localAddress: '127.0.0.3',
        headers: { 'X-Forwarded-Proto': 'https' },
      });
      const echoedDirect = JSON.parse(direct.body) as { remoteAddress: string; headers: http.IncomingHttpHeaders };
      expect(echoedDirect.remoteAddress).toBe('127.0.0.3');
      expect(echoedDirect.headers['x-forwarded-proto']).toBe('https');

      const byDefault = await teardown.track(startTlsProxy(blogHost, portOf(echo), { cert: valid, caPem: ca.certPem }), (p) => p.stop());
      const echoedDefault = JSON.parse((await fetchOnce(`${byDefault.origin}/`, { ca: ca.certPem })).body) as {
        remoteAddress: string;
        headers: http.IncomingHttpHeaders;
      };
      expect(echoedDefault.remoteAddress).toBe('127.0.0.1');
      expect(echoedDefault.headers['x-forwarded-proto']).toBe('https');
    });

    it('a redirecting https origin sends the client back to http, or round in a loop', async () => {
      const toHttp = await teardown.track(
        startRedirectingHttps(valid, (url, host) => `http://${host.replace(/:\d+$/, '')}${url}`),
        (e) => e.stop(),
      );
      const back = await fetchOnce(`${toHttp.origin(blogHost)}/page?x=1`, { ca: ca.certPem });
      expect(back.status).toBe(301);
      expect(back.headers.location).toBe(`http://${blogHost}/page?x=1`);

      const loop = await teardown.track(
        startRedirectingHttps(valid, (url, host) => `https://${host}${url}`, 302),
        (e) => e.stop(),
      );
      await expect(fetchFollowing(`${loop.origin(blogHost)}/`, 5, { ca: ca.certPem })).rejects.toThrow(/more than 5 redirects/);
      expect(loop.requests()).toBe(6);

      const fromPhp = await phpTlsConnect(loop.port, blogHost);
      expect(fromPhp.response).toMatch(/^HTTP\/1\.1 302 Found\r\nLocation: https:\/\/[^\r]+\//);
    });

    it('a foreign https origin answers 200 with a page that is not the blog', async () => {
      const response = await fetchOnce(`${validEndpoint.origin(blogHost)}/any`, { ca: ca.certPem });
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.body).toBe(FOREIGN_PAGE);
    });

    it('a plain HTTP server where https is expected fails the TLS handshake', async () => {
      const plain = await teardown.track(startPlainHttpOn(), (e) => e.stop());
      await expect(fetchOnce(`${plain.origin(blogHost)}/`, { ca: ca.certPem })).rejects.toThrow(/wrong version number/);
      const fromPhp = await phpTlsConnect(plain.port, blogHost);
      expect(fromPhp.connected).toBe(false);
      expect(fromPhp.warnings.join('\n')).toMatch(/wrong version number/);
      expect((await fetchOnce(`http://${blogHost}:${plain.port}/`)).body).toBe('plain http');
    });

    it('the undo takes the CA out of the bundle, and PHP rejects its certificates again', async () => {
      await untrust();
      expect(systemBundleHas(ca.certPem)).toBe(false);
      const result = await phpTlsConnect(validEndpoint.port, blogHost);
      expect(result.connected).toBe(false);
      expect(result.warnings.join('\n')).toContain('certificate verify failed');
    });
  });
});
