import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../../server/database';
import { MIGRATIONS } from '../../server/db/migrations/index';
import { scratchDatabase, testEngine, type ScratchDatabase } from '../support/test-database';

// Several instances deployed together start at the same moment on one empty database: the
// migrations must run once, and every instance must come up.
const onMariadb = testEngine() === 'mariadb' ? describe : describe.skip;

onMariadb('instances starting together on one database', () => {
  let dir: string;
  let database: ScratchDatabase;
  const opened: DataSource[] = [];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'padlock-migrate-'));
    database = await scratchDatabase(dir);
  });

  afterAll(async () => {
    await Promise.all(opened.filter((ds) => ds.isInitialized).map((ds) => ds.destroy()));
    await database.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('migrate once, one after the other, and all of them start', async () => {
    const results = await Promise.allSettled(Array.from({ length: 4 }, () => openDatabase({ kind: 'mysql', url: database.url })));
    for (const result of results) if (result.status === 'fulfilled') opened.push(result.value);
    expect(results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'started'))).toEqual(Array(4).fill('started'));

    const applied: { name: string }[] = await opened[0].query('SELECT name FROM migrations ORDER BY id');
    expect(applied.map((row) => row.name)).toEqual(MIGRATIONS.map((migration) => migration.name));
    const [lock]: { holder: string | null }[] = await opened[0].query("SELECT holder FROM schema_migration_lock WHERE name = 'migrations'");
    expect(lock.holder).toBeNull();
  });
});
