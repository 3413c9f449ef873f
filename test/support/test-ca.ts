import { spawn } from 'node:child_process';
import { randomBytes, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { processAlive } from './process-alive';

// A certificate authority for tests, made with the openssl CLI: `openssl ca` is what can give a
// certificate any validity period (an already expired one), which `openssl x509 -req` cannot.
// Nothing stays on disk between calls: each operation works in its own temporary folder and
// removes it, so a CA has nothing to stop. Trusting it system-wide is the one lasting change, and
// its undo (plus a sweep of what killed runs left) takes it out again.

/** A certificate and its private key, both PEM. */
export interface IssuedCertificate {
  readonly cert: string;
  readonly key: string;
}

export interface IssueOptions {
  /** Default: an hour ago. */
  readonly notBefore?: Date;
  /** Default: two days from now. A date in the past makes an expired certificate. */
  readonly notAfter?: Date;
}

export interface TestCa {
  /** The CA's own certificate (PEM): what a client trusts. */
  readonly certPem: string;
  /** Its subject's common name, unique per CA. */
  readonly name: string;
  /** A server certificate for `hostName` (subjectAltName DNS:`hostName`, serverAuth) signed by this CA. */
  issue(hostName: string, options?: IssueOptions): Promise<IssuedCertificate>;
  /**
   * Adds this CA to the system's trust store (Debian's /etc/ssl/certs/ca-certificates.crt, which
   * PHP and so WordPress read on every request) and resolves to the undo, which takes it out
   * again. Both check the bundle afterwards. Needs root.
   */
  trustSystemWide(): Promise<() => Promise<void>>;
}

/** Where Debian's update-ca-certificates takes locally added CAs from. */
export const LOCAL_CA_DIR = '/usr/local/share/ca-certificates';
/** The bundle update-ca-certificates writes, and WordPress's ca-bundle.crt links to. */
export const SYSTEM_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';
const LOCK_FILE = '/tmp/padlock-test-ca.lock';
const LEFTOVER_AGE_MS = 6 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Runs a command; resolves to its stdout, rejects with its stderr when it fails. */
function run(
  command: string,
  args: readonly string[],
  options: { cwd?: string; input?: string; timeoutMs?: number } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    // No stdin pipe unless there is input: writing to a command that never reads it fails with EPIPE.
    const child = spawn(command, args, { cwd: options.cwd, stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(stdout);
      else reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`}): ${stderr.trim() || stdout.trim()}`));
    });
    if (options.input !== undefined) {
      child.stdin!.on('error', () => undefined); // the exit status tells what went wrong
      child.stdin!.end(options.input);
    }
  });
}

/** Runs `work` in a fresh temporary folder that is removed afterwards, whatever happens. */
async function inTempDir<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'padlock-test-ca-'));
  try {
    return await work(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// Host names go into an OpenSSL config file: anything but a plain DNS name could change its meaning.
function checkedHostName(hostName: string): string {
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(hostName)) {
    throw new Error(`not a DNS name: ${JSON.stringify(hostName)}`);
  }
  return hostName;
}

/** OpenSSL's GeneralizedTime, e.g. 20250102030405Z. */
function opensslTime(date: Date): string {
  return `${date.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;
}

function opensslConfig(dir: string, hostName: string): string {
  return `[ ca ]
default_ca = test_ca

[ test_ca ]
database = ${dir}/index.txt
serial = ${dir}/serial
new_certs_dir = ${dir}
certificate = ${dir}/ca.pem
private_key = ${dir}/ca.key
default_md = sha256
policy = any_name
unique_subject = no
email_in_dn = no
copy_extensions = none

[ any_name ]
commonName = supplied

[ req ]
distinguished_name = no_prompt
prompt = no

[ no_prompt ]
CN = unused

[ ca_ext ]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash

[ leaf_ext ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = DNS:${hostName}
`;
}

async function newKey(file: string): Promise<void> {
  await run('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', file]);
}

/** The base64 body of a PEM certificate, to find it in a bundle whatever its line breaks. */
function pemBody(pem: string): string {
  return pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
}

/** Whether the system bundle (what WordPress verifies https peers against) holds `certPem`. */
export function systemBundleHas(certPem: string): boolean {
  return fs.readFileSync(SYSTEM_CA_BUNDLE, 'utf8').replace(/\s+/g, '').includes(pemBody(certPem));
}

/** A certificate for `hostName` signed by its own key, as a server with no CA behind it has. */
export async function selfSignedCertificate(hostName: string): Promise<IssuedCertificate> {
  checkedHostName(hostName);
  return inTempDir(async (dir) => {
    const config = path.join(dir, 'openssl.cnf');
    fs.writeFileSync(config, opensslConfig(dir, hostName));
    await newKey(path.join(dir, 'leaf.key'));
    await run(
      'openssl',
      ['req', '-config', config, '-x509', '-new', '-key', 'leaf.key', '-subj', `/CN=${hostName}`, '-days', '2'].concat([
        '-extensions',
        'leaf_ext',
        '-out',
        'leaf.pem',
      ]),
      { cwd: dir },
    );
    return { cert: fs.readFileSync(path.join(dir, 'leaf.pem'), 'utf8'), key: fs.readFileSync(path.join(dir, 'leaf.key'), 'utf8') };
  });
}

/** Creates a CA (EC P-256, valid 30 days) with a unique name. */
export async function createTestCa(): Promise<TestCa> {
  const name = `Padlock Test CA ${randomBytes(6).toString('hex')}`;
  const { certPem, keyPem } = await inTempDir(async (dir) => {
    const config = path.join(dir, 'openssl.cnf');
    fs.writeFileSync(config, opensslConfig(dir, 'unused.test'));
    await newKey(path.join(dir, 'ca.key'));
    await run(
      'openssl',
      ['req', '-config', config, '-x509', '-new', '-key', 'ca.key', '-subj', `/CN=${name}`, '-days', '30'].concat([
        '-extensions',
        'ca_ext',
        '-out',
        'ca.pem',
      ]),
      { cwd: dir },
    );
    return { certPem: fs.readFileSync(path.join(dir, 'ca.pem'), 'utf8'), keyPem: fs.readFileSync(path.join(dir, 'ca.key'), 'utf8') };
  });

  const issue = (hostName: string, options: IssueOptions = {}): Promise<IssuedCertificate> => {
    checkedHostName(hostName);
    const notBefore = options.notBefore ?? new Date(Date.now() - DAY_MS / 24);
    const notAfter = options.notAfter ?? new Date(Date.now() + 2 * DAY_MS);
    if (notAfter <= notBefore) throw new Error(`notAfter (${notAfter.toISOString()}) is not after notBefore (${notBefore.toISOString()})`);
    return inTempDir(async (dir) => {
      const config = path.join(dir, 'openssl.cnf');
      fs.writeFileSync(config, opensslConfig(dir, hostName));
      fs.writeFileSync(path.join(dir, 'ca.pem'), certPem);
      fs.writeFileSync(path.join(dir, 'ca.key'), keyPem, { mode: 0o600 });
      fs.writeFileSync(path.join(dir, 'index.txt'), '');
      await newKey(path.join(dir, 'leaf.key'));
      await run('openssl', ['req', '-config', config, '-new', '-key', 'leaf.key', '-subj', `/CN=${hostName}`, '-out', 'leaf.csr'], {
        cwd: dir,
      });
      await run(
        'openssl',
        [
          'ca',
          '-config',
          config,
          '-batch',
          '-notext',
          '-rand_serial',
          '-in',
          'leaf.csr',
          '-out',
          'leaf.pem',
          '-extensions',
          'leaf_ext',
        ].concat(['-startdate', opensslTime(notBefore), '-enddate', opensslTime(notAfter)]),
        { cwd: dir },
      );
      const cert = fs.readFileSync(path.join(dir, 'leaf.pem'), 'utf8');
      // `openssl ca` is quiet about dates it did not take: check that the certificate has the ones asked for.
      const issued = new X509Certificate(cert);
      const wanted = (date: Date): number => Math.floor(date.getTime() / 1000);
      if (wanted(new Date(issued.validFrom)) !== wanted(notBefore) || wanted(new Date(issued.validTo)) !== wanted(notAfter)) {
        throw new Error(`issued for ${issued.validFrom} – ${issued.validTo}, not ${notBefore.toISOString()} – ${notAfter.toISOString()}`);
      }
      return { cert, key: fs.readFileSync(path.join(dir, 'leaf.key'), 'utf8') };
    });
  };

  return { certPem, name, issue, trustSystemWide: () => trustSystemWide(certPem) };
}

/** CA files in the system store that runs which are gone (or started more than six hours ago) left there. */
function leftoverCaFiles(): string[] {
  const now = Date.now();
  const files: string[] = [];
  for (const entry of fs.existsSync(LOCAL_CA_DIR) ? fs.readdirSync(LOCAL_CA_DIR) : []) {
    const owner = /^padlock-test-(\d+)-[0-9a-f]+\.crt$/.exec(entry);
    if (!owner) continue;
    const file = path.join(LOCAL_CA_DIR, entry);
    try {
      if (!processAlive(Number(owner[1])) || now - fs.statSync(file).mtimeMs > LEFTOVER_AGE_MS) files.push(file);
    } catch {
      // Removed meanwhile by its owner.
    }
  }
  return files;
}

// Every change to the store runs in this script under one lock: update-ca-certificates writes
// its new bundle to one fixed temporary path, so two at once would corrupt it, and a CA file
// removed while another run lists the folder would make that run fail.
// update-ca-certificates only clears the links of a removed local CA (in /etc/ssl/certs, by name
// and by hash) in --fresh mode, which re-adds every CA; the script removes those dangling links
// itself. The hooks (Java's keystore) are skipped on both ways: nothing here reads those stores,
// and they double the time.
const UPDATE_SH = `set -eu
install_from=$1; install_as=$2; no_hooks=$3; shift 3
for file in "$@"; do rm -f -- "$file"; done
if [ -n "$install_from" ]; then
  cp -- "$install_from" "$install_as.new"
  chmod 0644 "$install_as.new"
  mv -f -- "$install_as.new" "$install_as"
fi
for link in /etc/ssl/certs/*; do
  if [ -L "$link" ] && [ ! -e "$link" ]; then
    case $(readlink -- "$link") in *padlock-test-*) rm -f -- "$link" ;; esac
  fi
done
update-ca-certificates --hooksdir "$no_hooks" >/dev/null
`;

async function updateSystemStore(install: { from: string; as: string } | null, remove: readonly string[]): Promise<void> {
  await inTempDir((dir) =>
    run(
      'flock',
      [
        '--timeout',
        '120',
        LOCK_FILE,
        'sh',
        '-c',
        UPDATE_SH,
        'sh',
        install?.from ?? '',
        install?.as ?? '',
        path.join(dir, 'no-hooks'),
        ...remove,
      ],
      { timeoutMs: 180_000 },
    ),
  );
}

async function trustSystemWide(certPem: string): Promise<() => Promise<void>> {
  for (const dir of [LOCAL_CA_DIR, path.dirname(SYSTEM_CA_BUNDLE)]) {
    try {
      fs.accessSync(dir, fs.constants.W_OK);
    } catch {
      throw new Error(`trusting a test CA system-wide needs write access to ${dir} (run the WordPress suite as root)`);
    }
  }
  const file = path.join(LOCAL_CA_DIR, `padlock-test-${process.pid}-${randomBytes(4).toString('hex')}.crt`);
  await inTempDir(async (dir) => {
    const source = path.join(dir, 'ca.crt');
    fs.writeFileSync(source, certPem);
    await updateSystemStore({ from: source, as: file }, leftoverCaFiles());
  });
  let undone: Promise<void> | undefined;
  const undo = async (): Promise<void> => {
    await updateSystemStore(null, [file]);
    if (systemBundleHas(certPem)) throw new Error(`${SYSTEM_CA_BUNDLE} still holds the test CA after removing ${file}`);
  };
  if (!systemBundleHas(certPem)) {
    await undo();
    throw new Error(`update-ca-certificates ran, yet ${SYSTEM_CA_BUNDLE} does not hold the test CA from ${file}`);
  }
  return () => (undone ??= undo());
}
