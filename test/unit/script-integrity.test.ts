import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ScriptIntegrity, sriHash } from '../../server/integrity/script-integrity';

// The build's integrity manifest, read once when the app is built: a missing or stale one stops the store.

describe('ScriptIntegrity.load', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'padlock-sri-'));
    fs.writeFileSync(path.join(dir, 'secure-context.js'), 'console.log(1)');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const manifest = (scripts: Record<string, string>) => fs.writeFileSync(path.join(dir, 'integrity.json'), JSON.stringify({ scripts }));

  it('gives each built script its sha384 by URL path', () => {
    manifest({ '/assets/secure-context.js': sriHash('console.log(1)') });
    const scripts = ScriptIntegrity.load(dir);
    expect(scripts.of('/assets/secure-context.js')).toMatch(/^sha384-[A-Za-z0-9+/]{64}$/);
    expect(() => scripts.of('/assets/other.js')).toThrow(/No built script \/assets\/other\.js in integrity\.json/);
  });

  it('refuses a missing manifest, naming the command that makes it', () => {
    expect(() => ScriptIntegrity.load(dir)).toThrow(/integrity\.json is missing or unreadable .*run `npm run build:embed`/);
  });

  it('refuses a manifest that does not match the built file (stale, or the file was changed)', () => {
    manifest({ '/assets/secure-context.js': sriHash('console.log(1)') });
    fs.writeFileSync(path.join(dir, 'secure-context.js'), 'console.log(2)');
    expect(() => ScriptIntegrity.load(dir)).toThrow(/integrity\.json does not match .*secure-context\.js/);
  });

  it('refuses a manifest that misses a built script', () => {
    manifest({ '/assets/secure-context.js': sriHash('console.log(1)') });
    fs.writeFileSync(path.join(dir, 'braintree-fields.js'), 'x');
    expect(() => ScriptIntegrity.load(dir)).toThrow(/integrity\.json does not list braintree-fields\.js/);
  });

  it('refuses a manifest without its scripts map', () => {
    fs.writeFileSync(path.join(dir, 'integrity.json'), '[]');
    expect(() => ScriptIntegrity.load(dir)).toThrow(/has no "scripts" map/);
  });
});
