import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

// The test blogs live on made-up `*.test` names. Chromium and the tests' own HTTP client send
// them to loopback themselves, but PHP (WordPress requesting its own https address, as the Force
// HTTPS check does) asks the system resolver, which reads /etc/hosts. Each name gets one line,
// tagged with the test process's pid so that a killed run's lines can be swept. Writers in
// several jest workers are serialised with flock; the file is rewritten in place (not renamed),
// as /etc/hosts may be a bind mount.

const HOSTS_FILE = '/etc/hosts';
const LOCK_FILE = '/tmp/padlock-etc-hosts.lock';
const TAG = '# padlock-test pid';

/**
 * Rewrites /etc/hosts under the lock: drops the lines in `remove` and the tagged lines of
 * processes that are gone, then appends `add`.
 */
function rewriteHosts(remove: readonly string[], add: readonly string[]): void {
  const script = `
const fs = require('node:fs');
const [file, removeJson, addJson] = process.argv.slice(1);
const remove = new Set(JSON.parse(removeJson));
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; } };
const keep = (line) => {
  if (line === '' || remove.has(line)) return false;
  const owner = /# padlock-test pid (\\d+)$/.exec(line);
  return !owner || alive(Number(owner[1]));
};
const lines = fs.readFileSync(file, 'utf8').split('\\n').filter(keep);
fs.writeFileSync(file, [...lines, ...JSON.parse(addJson)].join('\\n') + '\\n');
`;
  execFileSync('flock', [LOCK_FILE, process.execPath, '-e', script, HOSTS_FILE, JSON.stringify(remove), JSON.stringify(add)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

/** Whether this machine lets the tests map names in /etc/hosts. */
export function etcHostsWritable(): boolean {
  try {
    fs.accessSync(HOSTS_FILE, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Maps `hosts` to 127.0.0.1 in /etc/hosts (and drops lines left by test runs that are gone).
 * Returns the undo, which removes exactly these lines.
 */
export function mapHostsToLoopback(hosts: readonly string[]): () => void {
  const lines = hosts.map((host) => `127.0.0.1 ${host.toLowerCase()} ${TAG} ${process.pid}`);
  rewriteHosts([], lines);
  return () => rewriteHosts(lines, []);
}
