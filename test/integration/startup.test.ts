import { createPrivateKey, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { seedDemoCatalog } from '../../server/catalog/demo-catalog';
import { MIGRATIONS } from '../../server/db/migrations/index';
import { loadTlsMaterial } from '../../server/http/tls-certificate';
import { useTestStore } from '../support/test-store';

describe('first start', () => {
  const store = useTestStore();

  it('seeds the demo catalog once, never twice, and never into a store whose products were removed', async () => {
    const count = async () => Number((await store.dataSource.query('SELECT COUNT(*) AS n FROM products'))[0].n);
    expect(await count()).toBe(8);
    expect(await Promise.all([seedDemoCatalog(store.dataSource, 'USD'), seedDemoCatalog(store.dataSource, 'USD')])).toEqual([false, false]);
    expect(await count()).toBe(8);
    await store.dataSource.query('DELETE FROM products');
    expect(await seedDemoCatalog(store.dataSource, 'USD')).toBe(false);
    expect(await count()).toBe(0);
  });

  it('runs migrations: the schema exists and a second run changes nothing', async () => {
    expect(await store.dataSource.showMigrations()).toBe(false);
    await store.dataSource.runMigrations();
    const rows = await store.dataSource.query('SELECT COUNT(*) AS n FROM migrations');
    expect(Number(rows[0].n)).toBe(MIGRATIONS.length);
  });

  it('generates a self-signed localhost certificate once and reuses it on restart', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'padlock-tls-'));
    const first = await loadTlsMaterial({ kind: 'generated', dir }, store.logger);
    const second = await loadTlsMaterial({ kind: 'generated', dir }, store.logger);
    expect(second.cert).toBe(first.cert);
    const x509 = new X509Certificate(first.cert);
    expect(x509.subjectAltName).toContain('DNS:localhost');
    expect(x509.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(x509.checkPrivateKey(createPrivateKey(first.key))).toBe(true);
    expect(fs.statSync(path.join(dir, 'tls', 'localhost-key.pem')).mode & 0o077).toBe(0);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
