import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PLUGIN_SOURCE_DIR } from '../support/wordpress';

// Every PHP file of the plugin parses (`php -l`), and the repository's lint script passes (a
// missing script fails, as `npm run lint:php` would).

const REPO = path.resolve(__dirname, '..', '..');
const LINT_SCRIPT = path.join(REPO, 'scripts', 'php-lint.sh');

function run(command: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: REPO, timeout: 60_000, maxBuffer: 10_000_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

function phpFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'vendor' || entry.name === 'node_modules' ? [] : phpFiles(full);
    return entry.name.endsWith('.php') ? [full] : [];
  });
}

describe('the plugin’s PHP', () => {
  const files = phpFiles(PLUGIN_SOURCE_DIR);

  it('has the plugin’s main file and its includes', () => {
    expect(files).toContain(path.join(PLUGIN_SOURCE_DIR, 'padlock-store.php'));
    expect(files.length).toBeGreaterThan(1);
  });

  it('passes php -l, file by file', async () => {
    const failures: string[] = [];
    for (const file of files) {
      const { code, output } = await run('php', ['-d', 'display_errors=1', '-l', file]);
      if (code !== 0 || !/No syntax errors detected/.test(output)) failures.push(`${path.relative(REPO, file)}: ${output.trim()}`);
    }
    expect(failures).toEqual([]);
  });

  it('passes scripts/php-lint.sh', async () => {
    const { code, output } = await run('bash', [LINT_SCRIPT]);
    if (code !== 0) throw new Error(`scripts/php-lint.sh exited ${code}:\n${output}`);
  });
});
