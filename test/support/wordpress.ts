import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { etcHostsWritable, mapHostsToLoopback } from './etc-hosts';
import { Teardown } from './teardown';
import { fetchOnce, type HttpOptions, type HttpResult } from './wp-http';
import { processAlive } from './process-alive';

// A real WordPress for end-to-end tests: Debian's `wordpress` package served by `php -S` on
// loopback, one MariaDB database and one /etc/wordpress/config-<host>.php per blog, the plugin
// linked from the working tree. Everything it creates is removed by `stop()`.

/** Where Debian installs WordPress. */
export const WORDPRESS_DIR = '/usr/share/wordpress';
/** Debian's wp-config.php loads `config-<host>.php` from here, <host> being the request's Host. */
export const WORDPRESS_CONFIG_DIR = '/etc/wordpress';
/**
 * The plugin's source in this repository. PADLOCK_TEST_PLUGIN_DIR runs the suite against another
 * copy (an unpacked release zip, or a deliberately broken copy to see a test fail).
 */
export const PLUGIN_SOURCE_DIR = path.resolve(process.env.PADLOCK_TEST_PLUGIN_DIR ?? path.join(__dirname, '..', '..', 'wp-bridge'));
/** The plugin's main file, relative to the plugins folder (WordPress's id for it). */
export const PLUGIN_FILE = 'wp-bridge/padlock-store.php';

const MYSQL_URL = new URL(process.env.TEST_MYSQL_URL ?? 'mysql://padlock:padlock@127.0.0.1:3306/padlock_test');

/** The administrator the install creates. */
export const WP_ADMIN = { user: 'padlock-admin', password: 'correct horse battery staple 42', email: 'admin@blog.test' } as const;

/** Why this machine cannot run the WordPress suite, or null when it can. */
export function wordpressMissing(): string | null {
  if (!fs.existsSync(path.join(WORDPRESS_DIR, 'wp-settings.php'))) return `no WordPress in ${WORDPRESS_DIR} (apt-get install wordpress)`;
  if (!fs.existsSync(path.join(WORDPRESS_DIR, 'wp-config.php'))) return `no Debian wp-config.php in ${WORDPRESS_DIR}`;
  try {
    fs.accessSync(WORDPRESS_CONFIG_DIR, fs.constants.W_OK);
  } catch {
    return `${WORDPRESS_CONFIG_DIR} is not writable (scripts/start-wordpress-deps.sh)`;
  }
  if (!etcHostsWritable()) return "/etc/hosts is not writable (WordPress resolves the test blogs' names through it)";
  return null;
}

/** Where a blog answers: its host name (mapped to loopback) and the port its `php -S` listens on. */
export interface BlogAddress {
  /** e.g. `blog-1a2b3c4d.test` */
  readonly host: string;
  readonly port: number;
  /** `http://<host>:<port>` */
  readonly origin: string;
}

/** A random host name (no port) for an alias of the blog, e.g. behind a TLS proxy. */
export function newHostName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}.test`;
}

export interface WordPressOptions {
  readonly title?: string;
  /** Link the plugin's source into the plugins folder (default); false leaves the folder empty, for an upload. */
  readonly linkPlugin?: boolean;
}

/** A post the harness created. */
export interface CreatedPost {
  readonly id: number;
  /** Its permalink on the main host, e.g. `http://blog-….test:41234/?p=5`. */
  readonly url: string;
  /** Path and query, e.g. `/?p=5`, to combine with another origin of the same blog. */
  readonly path: string;
}

export interface WordPressSite extends BlogAddress {
  readonly dbName: string;
  readonly contentDir: string;
  /** Makes the blog's server-side requests to the store trust this certificate (PEM file), from now on. */
  trustStoreCertificate(certFile: string): void;
  /**
   * Makes the same blog answer on another host name whose home URL is `home` (e.g.
   * `https://secure-….test:<proxyPort>`): one more config file, same database and content.
   */
  addHost(host: string, home: string): void;
  /** A request from a plain HTTP client (no JavaScript) to a URL of this blog. */
  fetch(url: string, options?: HttpOptions): Promise<HttpResult>;
  /** Runs PHP code with WordPress loaded as for a request on `host` (the main one by default); returns its stdout. */
  php(code: string, input?: unknown, host?: string, timeoutMs?: number): Promise<string>;
  /**
   * Adds PHP lines (e.g. `define('MULTISITE', true);`) to the config file of every host of the
   * blog, from the next request on: for settings that only work after the install, like a network.
   */
  addConfig(php: string): void;
  createPost(title: string, content: string): Promise<CreatedPost>;
  /** Chromium's argument that sends this blog's host names to 127.0.0.1. */
  hostResolverRules(): string;
  /** What `php -S` printed (access log and PHP errors), last 200 kB. */
  serverLog(): string;
  /** WordPress's debug.log (PHP notices, warnings and errors), or '' when none. */
  debugLog(): string;
  stop(): Promise<void>;
}

// php -S serves files from the document root (Debian's /usr/share/wordpress), but WP_CONTENT_DIR
// is this run's own folder (with the plugin linked in): this router serves /wp-content/* from it.
const ROUTER_PHP = `<?php
$path = rawurldecode(parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH) ?? '/');
if ($path === '/favicon.ico') {
    // The blog has no site icon; answer the browser's probe without a 404 in its console.
    http_response_code(204);
    return true;
}
if (strncmp($path, '/wp-content/', 12) !== 0) {
    return false;
}
$root = realpath(__DIR__ . '/wp-content');
$file = realpath($root . substr($path, 11));
$types = ['css' => 'text/css', 'js' => 'text/javascript', 'png' => 'image/png', 'jpg' => 'image/jpeg', 'jpeg' => 'image/jpeg',
    'gif' => 'image/gif', 'svg' => 'image/svg+xml', 'webp' => 'image/webp', 'woff' => 'font/woff', 'woff2' => 'font/woff2',
    'ttf' => 'font/ttf', 'json' => 'application/json', 'ico' => 'image/x-icon', 'txt' => 'text/plain', 'map' => 'application/json'];
$ext = strtolower(pathinfo((string) $file, PATHINFO_EXTENSION));
if ($file === false || !is_file($file) || !isset($types[$ext])) {
    http_response_code(404);
    header('Content-Type: text/plain');
    echo "Not found\\n";
    return true;
}
header('Content-Type: ' . $types[$ext]);
header('Content-Length: ' . filesize($file));
readfile($file);
return true;
`;

// Runs `php -S` (given as "$@") in this process group and ends the whole group when the test
// process ($1) is gone, so a killed test run leaves no server behind.
const WATCHDOG_SH = `parent=$1; shift
"$@" &
server=$!
while kill -0 "$parent" 2>/dev/null && kill -0 "$server" 2>/dev/null; do sleep 1; done
kill -TERM 0`;

/** Marks the config files this harness writes (and so may remove when a killed run left them). */
const CONFIG_MARKER = '// Written by the Padlock Store WordPress tests';
const LEFTOVER_AGE_MS = 6 * 60 * 60 * 1000;

/**
 * Removes what an earlier run that was killed (so never reached its teardown) left: its config
 * files in /etc/wordpress (this harness's marker, written by a process that is gone or more than
 * six hours ago), the databases no config file names any more, and its temporary folders.
 */
export async function sweepLeftovers(): Promise<void> {
  const now = Date.now();
  const admin = await mysqlAdmin();
  try {
    // Databases first, config files second: a run writes its config file before it creates its
    // database, so any database listed here that no config file names is really left over.
    const [rows] = await admin.query("SHOW DATABASES LIKE 'padlock\\_test\\_wp\\_%'");
    const databases = (rows as Record<string, string>[])
      .map((row) => Object.values(row)[0])
      .filter((name) => /^padlock_test_wp_[0-9a-f]+$/.test(name));
    const named = new Set<string>();
    for (const entry of fs.readdirSync(WORDPRESS_CONFIG_DIR)) {
      if (!/^config-.+\.php$/.test(entry)) continue;
      const file = path.join(WORDPRESS_CONFIG_DIR, entry);
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch {
        continue;
      }
      if (!text.includes(CONFIG_MARKER)) continue;
      const owner = /\(pid (\d+)\)/.exec(text);
      if ((owner && !processAlive(Number(owner[1]))) || now - fs.statSync(file).mtimeMs > LEFTOVER_AGE_MS) {
        fs.rmSync(file, { force: true });
        continue;
      }
      const db = /define\('DB_NAME', '(padlock_test_wp_[0-9a-f]+)'\)/.exec(text);
      if (db) named.add(db[1]);
    }
    for (const name of databases) {
      if (!named.has(name)) await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
    }
  } finally {
    await admin.end();
  }
  for (const entry of fs.readdirSync(os.tmpdir())) {
    const owner = /^padlock-wp-(\d+)-/.exec(entry);
    if (!owner) continue;
    const dir = path.join(os.tmpdir(), entry);
    try {
      if (!processAlive(Number(owner[1])) || now - fs.statSync(dir).mtimeMs > LEFTOVER_AGE_MS)
        fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      // another run's, or gone already
    }
  }
}

function phpString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function configFile(host: string): string {
  return path.join(WORDPRESS_CONFIG_DIR, `config-${host.toLowerCase()}.php`);
}

function configPhp(dbName: string, contentDir: string, home: string, storeCaFile: string, debugLog: string): string {
  const define = (name: string, value: string | boolean): string =>
    `define('${name}', ${typeof value === 'boolean' ? String(value) : phpString(value)});`;
  const keys = [
    'AUTH_KEY',
    'SECURE_AUTH_KEY',
    'LOGGED_IN_KEY',
    'NONCE_KEY',
    'AUTH_SALT',
    'SECURE_AUTH_SALT',
    'LOGGED_IN_SALT',
    'NONCE_SALT',
  ];
  return [
    '<?php',
    `${CONFIG_MARKER} (test/support/wordpress.ts) for one run (pid ${process.pid}); removed when it ends.`,
    define('DB_NAME', dbName),
    define('DB_USER', decodeURIComponent(MYSQL_URL.username)),
    define('DB_PASSWORD', decodeURIComponent(MYSQL_URL.password)),
    define('DB_HOST', `${MYSQL_URL.hostname}:${MYSQL_URL.port || '3306'}`),
    define('DB_CHARSET', 'utf8mb4'),
    define('DB_COLLATE', ''),
    define('WP_HOME', home),
    define('WP_SITEURL', home),
    define('WP_CONTENT_DIR', contentDir),
    define('WP_CONTENT_URL', `${home}/wp-content`),
    define('PADLOCK_STORE_CA_FILE', storeCaFile),
    define('FS_METHOD', 'direct'),
    // Loopback only: no cron spawning, no update checks, no calls to wordpress.org.
    define('DISABLE_WP_CRON', true),
    define('AUTOMATIC_UPDATER_DISABLED', true),
    define('WP_HTTP_BLOCK_EXTERNAL', true),
    define('WP_ACCESSIBLE_HOSTS', 'localhost,127.0.0.1'),
    define('WP_DEBUG', true),
    define('WP_DEBUG_LOG', debugLog),
    define('WP_DEBUG_DISPLAY', false),
    ...keys.map((k) => define(k, randomBytes(32).toString('base64'))),
    "$table_prefix = 'wp_';",
    '',
  ].join('\n');
}

async function dropDatabase(name: string): Promise<void> {
  const admin = await mysqlAdmin();
  try {
    await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
  } finally {
    await admin.end();
  }
}

async function mysqlAdmin(): Promise<mysql.Connection> {
  return mysql.createConnection({
    host: MYSQL_URL.hostname,
    port: Number(MYSQL_URL.port || 3306),
    user: decodeURIComponent(MYSQL_URL.username),
    password: decodeURIComponent(MYSQL_URL.password),
    connectTimeout: 5000,
  });
}

/** The port `php -S` says it listens on ("Development Server (http://127.0.0.1:<port>) started", on stderr). */
function listeningPort(child: ChildProcess, log: () => string, timeoutMs = 10_000): Promise<number> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      const started = /Development Server \(http:\/\/127\.0\.0\.1:(\d+)\) started/.exec(log());
      if (started) done(() => resolve(Number(started[1])));
    };
    const exited = (code: number | null): void => done(() => reject(new Error(`php -S exited (${code}):\n${log()}`)));
    const timer = setTimeout(
      () => done(() => reject(new Error(`php -S did not say it listens within ${timeoutMs} ms:\n${log()}`))),
      timeoutMs,
    );
    const done = (settle: () => void): void => {
      clearTimeout(timer);
      child.stderr?.off('data', check);
      child.off('exit', exited);
      settle();
    };
    child.stderr?.on('data', check);
    child.once('exit', exited);
    check();
  });
}

function stopProcessGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return Promise.resolve();
  const pid = child.pid;
  return new Promise((resolve) => {
    const force = setTimeout(() => {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 3000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    try {
      // The server's workers share its process group (it was spawned detached, as a group leader).
      process.kill(-pid, 'SIGTERM');
    } catch {
      clearTimeout(force);
      resolve();
    }
  });
}

/**
 * Installs and serves a fresh WordPress on `<prefix>-<random>.test`: starts `php -S` on a port
 * the system picks, then writes the host's config file (WordPress reads it per request, so it can
 * name the port once it is known), creates the database `padlock_test_wp_<random>` and a content
 * folder with the plugin linked in (unless `linkPlugin` is false), and posts WordPress's own
 * install form. The plugin is present but not active. If a step fails, what the earlier ones made
 * is removed before the error is thrown; `stop()` removes all of it.
 */
export async function startWordPress(options: WordPressOptions = {}, prefix = 'blog'): Promise<WordPressSite> {
  const missing = wordpressMissing();
  if (missing) throw new Error(missing);
  await sweepLeftovers();
  const host = newHostName(prefix);
  const dbName = `padlock_test_wp_${randomBytes(4).toString('hex')}`;
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), `padlock-wp-${process.pid}-`));
  const contentDir = path.join(runDir, 'wp-content');
  const debugLogFile = path.join(runDir, 'debug.log');
  const storeCaFile = path.join(runDir, 'store-ca.pem');
  const hosts = [host];
  let output = '';
  const undo = new Teardown();
  undo.defer(() => fs.rmSync(runDir, { recursive: true, force: true }));

  const writeConfig = (configHost: string, home: string): void => {
    const file = configFile(configHost);
    if (fs.existsSync(file)) throw new Error(`${file} exists already`);
    undo.defer(() => fs.rmSync(file, { force: true }));
    undo.defer(mapHostsToLoopback([configHost]));
    fs.writeFileSync(file, configPhp(dbName, contentDir, home, storeCaFile, debugLogFile), { mode: 0o644 });
  };

  let port: number;
  try {
    fs.mkdirSync(path.join(contentDir, 'plugins'), { recursive: true });
    fs.mkdirSync(path.join(contentDir, 'uploads'), { recursive: true });
    if (options.linkPlugin ?? true) fs.symlinkSync(PLUGIN_SOURCE_DIR, path.join(contentDir, 'plugins', 'wp-bridge'));
    fs.symlinkSync(path.join(WORDPRESS_DIR, 'wp-content', 'themes'), path.join(contentDir, 'themes'));
    fs.writeFileSync(path.join(runDir, 'router.php'), ROUTER_PHP);

    const server = spawn(
      'sh',
      [
        '-c',
        WATCHDOG_SH,
        'padlock-wp-server',
        String(process.pid),
        'php',
        '-d',
        'max_execution_time=60',
        '-S',
        '127.0.0.1:0',
        '-t',
        WORDPRESS_DIR,
        path.join(runDir, 'router.php'),
      ],
      {
        cwd: runDir,
        env: { ...process.env, PHP_CLI_SERVER_WORKERS: '4' },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      },
    );
    await undo.track(server, stopProcessGroup);
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-200_000);
    };
    server.stdout?.on('data', keep);
    server.stderr?.on('data', keep);
    port = await listeningPort(server, () => output);

    // The config file before the database: sweepLeftovers() treats a database that no config file names as left over.
    writeConfig(host, `http://${host}:${port}`);
    const admin = await mysqlAdmin();
    try {
      await admin.query(`CREATE DATABASE \`${dbName}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
      undo.defer(() => dropDatabase(dbName));
    } finally {
      await admin.end();
    }

    const install = await fetchOnce(`http://${host}:${port}/wp-admin/install.php?step=2`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        weblog_title: options.title ?? 'Padlock test blog',
        user_name: WP_ADMIN.user,
        admin_password: WP_ADMIN.password,
        admin_password2: WP_ADMIN.password,
        pw_weak: '1',
        admin_email: WP_ADMIN.email,
        blog_public: '1',
        language: '',
      }).toString(),
      timeoutMs: 60_000,
    });
    if (install.status !== 200 || !/Success!/.test(install.body)) {
      throw new Error(`WordPress install failed (${install.status}):\n${install.body.slice(0, 2000)}\n${output.slice(-2000)}`);
    }
  } catch (error) {
    await undo.run().catch(() => undefined);
    throw error;
  }
  const address: BlogAddress = { host, port, origin: `http://${host}:${port}` };

  const runPhp = (code: string, input: unknown, host: string, timeoutMs = 30_000): Promise<string> => {
    const script = path.join(runDir, `cli-${randomBytes(4).toString('hex')}.php`);
    fs.writeFileSync(
      script,
      `<?php
$_SERVER['HTTP_HOST'] = ${phpString(host)};
$_SERVER['SERVER_NAME'] = ${phpString(host.replace(/:.*/, ''))};
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['REQUEST_METHOD'] = 'GET';
$input = json_decode(stream_get_contents(STDIN), true);
require ${phpString(path.join(WORDPRESS_DIR, 'wp-load.php'))};
${code}
`,
    );
    return new Promise<string>((resolve, reject) => {
      const child = execFile('php', [script], { timeout: timeoutMs, maxBuffer: 10_000_000 }, (error, stdout, stderr) => {
        fs.rmSync(script, { force: true });
        if (error) reject(new Error(`php failed: ${error.message}\n${stdout}\n${stderr}`));
        else resolve(stdout);
      });
      child.stdin?.end(JSON.stringify(input ?? null));
    });
  };

  try {
    // Avatars come from gravatar.com: off, so that pages load nothing from outside loopback.
    // Plain permalinks (?p=ID): the install turns pretty ones on when its loopback request to
    // the blog works (it does, through /etc/hosts), and the suites address posts by id.
    await runPhp(
      "update_option('show_avatars', 0); update_option('permalink_structure', ''); flush_rewrite_rules(); echo 'ok';",
      null,
      `${address.host}:${address.port}`,
    );
  } catch (error) {
    await undo.run().catch(() => undefined);
    throw error;
  }

  return {
    ...address,
    dbName,
    contentDir,
    trustStoreCertificate(certFile: string) {
      fs.copyFileSync(certFile, storeCaFile);
    },
    addHost(alias: string, home: string) {
      writeConfig(alias, home);
      hosts.push(alias);
    },
    fetch: (url, options2) => fetchOnce(url, options2),
    php: (code, input, host, timeoutMs) => runPhp(code, input, host ?? `${address.host}:${address.port}`, timeoutMs),
    addConfig(php: string) {
      for (const configHost of hosts) {
        const file = configFile(configHost);
        const text = fs.readFileSync(file, 'utf8');
        fs.writeFileSync(
          file,
          text.replace("$table_prefix = 'wp_';", (line) => `${php.trim()}\n${line}`),
        );
      }
    },
    async createPost(title, content) {
      const out = await runPhp(
        `$id = wp_insert_post(wp_slash(['post_title' => $input['title'], 'post_content' => $input['content'], 'post_status' => 'publish', 'post_author' => 1]), true);
if (is_wp_error($id)) { fwrite(STDERR, $id->get_error_message()); exit(1); }
echo "\\nPOST " . json_encode(['id' => $id, 'url' => get_permalink($id)]) . "\\n";`,
        { title, content },
        `${address.host}:${address.port}`,
      );
      const line = out.split('\n').find((l) => l.startsWith('POST '));
      if (!line) throw new Error(`wp_insert_post printed no result:\n${out}`);
      const { id, url } = JSON.parse(line.slice(5)) as { id: number; url: string };
      const parsed = new URL(url);
      return { id, url, path: parsed.pathname + parsed.search };
    },
    hostResolverRules: () => `--host-resolver-rules=${hosts.map((h) => `MAP ${h} 127.0.0.1`).join(',')}`,
    serverLog: () => output,
    debugLog: () => (fs.existsSync(debugLogFile) ? fs.readFileSync(debugLogFile, 'utf8') : ''),
    stop: () => undo.run(),
  };
}
