// A reference server for the benchmark, run in its own process (never in the load generator's):
//   node reference-server.js <express|https> <cert.pem> <key.pem> <body file> <content type> <path>
// It answers GET <path> with the body file's bytes, read once at start, and prints {"port":…}.
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import express from 'express';

const [kind, certFile, keyFile, bodyFile, contentType, routePath] = process.argv.slice(2);
if (!kind || !certFile || !keyFile || !bodyFile || !contentType || !routePath) {
  process.stderr.write('usage: reference-server <express|https> <cert> <key> <body file> <content type> <path>\n');
  process.exit(2);
}
const tls = { cert: fs.readFileSync(certFile), key: fs.readFileSync(keyFile) };
const body = fs.readFileSync(bodyFile);
const headers = { 'Content-Type': contentType, 'Content-Length': String(body.length) };

let server: https.Server;
if (kind === 'express') {
  // A bare Express 5 route: the framework's floor (default settings, no middleware).
  const app = express();
  app.get(routePath, (_req, res) => {
    res.set(headers).end(body);
  });
  server = https.createServer(tls, app);
} else {
  // Bare node:https: the platform's limit.
  server = https.createServer(tls, (req, res) => {
    if (req.method === 'GET' && req.url === routePath) res.writeHead(200, headers).end(body);
    else res.writeHead(404).end();
  });
}
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});
process.once('SIGTERM', () => process.exit(0));
