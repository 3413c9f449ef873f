// Jest runs the same integration suite twice, on SQLite and on MariaDB, plus unit and browser
// suites. Suites that need a service run when it is present; under CI=true a missing service
// fails the run instead of being skipped.
const fs = require('node:fs');

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const WORDPRESS = '/usr/share/wordpress/wp-load.php';
const MYSQL_URL = process.env.TEST_MYSQL_URL || 'mysql://padlock:padlock@127.0.0.1:3306/padlock_test';
const inCi = process.env.CI === 'true' || process.env.CI === '1';

async function mariadbAvailable() {
  const mysql = require('mysql2/promise');
  try {
    const conn = await mysql.createConnection({ uri: MYSQL_URL.replace(/\/[^/]*$/, '/'), connectTimeout: 3000 });
    await conn.end();
    return true;
  } catch (err) {
    return err;
  }
}

// The three nodes of scripts/start-galera-cluster.sh, each up and Synced.
async function galeraAvailable() {
  const mysql = require('mysql2/promise');
  try {
    for (const port of [3307, 3308, 3309]) {
      const conn = await mysql.createConnection({ uri: `mysql://padlock:padlock@127.0.0.1:${port}/`, connectTimeout: 3000 });
      const [rows] = await conn.query("SHOW STATUS LIKE 'wsrep_local_state_comment'");
      await conn.end();
      if (rows[0]?.Value !== 'Synced') return `node on ${port} is ${rows[0]?.Value ?? 'not a Galera node'}`;
    }
    return true;
  } catch (err) {
    return err.code || err.message;
  }
}

const tsJest = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] };

function project(displayName, testMatch, extra = {}) {
  return { displayName, testEnvironment: 'node', transform: tsJest, testMatch, ...extra };
}

module.exports = async () => {
  const projects = [
    project('unit', ['<rootDir>/test/unit/**/*.test.ts']),
    project('gateways', ['<rootDir>/test/gateways/**/*.test.ts']),
    project('sqlite', ['<rootDir>/test/integration/**/*.test.ts'], { setupFiles: ['<rootDir>/test/setup/use-sqlite.ts'] }),
  ];
  const missing = [];

  const mariadb = await mariadbAvailable();
  if (mariadb === true) {
    projects.push(project('mariadb', ['<rootDir>/test/integration/**/*.test.ts'], { setupFiles: ['<rootDir>/test/setup/use-mariadb.ts'] }));
    // Fault tests: store processes killed, stopped and soaked, on MariaDB (and a private mariadbd they start).
    projects.push(project('faults', ['<rootDir>/test/faults/**/*.test.ts'], { setupFiles: ['<rootDir>/test/setup/use-mariadb.ts'] }));
  } else {
    missing.push(`MariaDB and fault suites: no server at ${MYSQL_URL.replace(/\/\/[^@]*@/, '//')} (${mariadb.code || mariadb.message})`);
  }

  if (fs.existsSync(CHROMIUM)) {
    projects.push(
      project('chromium', ['<rootDir>/test/browser/**/*.test.ts'], { setupFilesAfterEnv: ['<rootDir>/test/setup/chromium-timeout.ts'] }),
    );
  } else {
    missing.push(`Chromium suite: ${CHROMIUM} not found (apt-get install chromium)`);
  }

  // WordPress talks to MariaDB through PHP's mysqli (Debian's php-mysql).
  const php = require('node:child_process').spawnSync('php', ['-r', 'exit(extension_loaded("mysqli") ? 0 : 1);']).status === 0;
  if (fs.existsSync(WORDPRESS) && php && mariadb === true && fs.existsSync(CHROMIUM)) {
    projects.push(
      project('wordpress', ['<rootDir>/test/wordpress/**/*.test.ts'], {
        setupFilesAfterEnv: ['<rootDir>/test/setup/wordpress-timeout.ts'],
      }),
    );
  } else {
    missing.push(
      "WordPress suite: needs Debian's wordpress, php-cli and php-mysql, MariaDB and Chromium (scripts/start-wordpress-deps.sh)",
    );
  }

  // Three store processes on a three-node Galera cluster behind HAProxy (scripts/start-galera-cluster.sh).
  const galera = await galeraAvailable();
  if (galera === true) {
    projects.push(
      project('cluster', ['<rootDir>/test/cluster/**/*.test.ts'], { setupFilesAfterEnv: ['<rootDir>/test/setup/cluster-timeout.ts'] }),
    );
  } else {
    missing.push(`Cluster suite: no Galera cluster on 127.0.0.1:3307-3309 (${galera}; bash scripts/start-galera-cluster.sh)`);
  }

  if (missing.length > 0) {
    if (inCi) throw new Error(`CI=true and a test suite cannot run:\n  ${missing.join('\n  ')}`);
    process.stderr.write(`\nNOT RUN (service missing; .ci/run provisions it):\n  ${missing.join('\n  ')}\n\n`);
  }
  // Every secret a test store held is looked for in everything the stores wrote (test/support/secret-scan.ts).
  return {
    projects,
    testTimeout: 30000,
    globalSetup: '<rootDir>/test/setup/secret-scan-setup.ts',
    globalTeardown: '<rootDir>/test/setup/secret-scan-teardown.ts',
  };
};
