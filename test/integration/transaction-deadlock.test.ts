import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DataSource, EntityManager } from 'typeorm';
import { loadConfig } from '../../server/config';
import { openDatabase } from '../../server/database';
import { inTransaction, setTransactionRetries } from '../../server/db/transaction';
import { useTeardown } from '../support/teardown';
import { scratchDatabase, testEngine } from '../support/test-database';

// A real deadlock needs row locks taken concurrently: MariaDB only (SQLite runs transactions in turn).
const onMariadb = testEngine() === 'mariadb' ? describe : describe.skip;

onMariadb('transactions that deadlock', () => {
  const teardown = useTeardown();
  let dataSource: DataSource;

  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'padlock-deadlock-'));
    teardown.defer(() => fs.rmSync(dir, { recursive: true, force: true }));
    const database = await teardown.track(scratchDatabase(dir), (db) => db.drop());
    dataSource = await teardown.track(openDatabase(loadConfig({ DATABASE_URL: database.url, DATA_DIR: dir }).database), (ds) =>
      ds.destroy(),
    );
    await dataSource.query('CREATE TABLE deadlock_rows (id INT PRIMARY KEY, n INT NOT NULL) ENGINE=InnoDB');
    await dataSource.query('INSERT INTO deadlock_rows VALUES (1, 0), (2, 0)');
  });

  it('are run again by inTransaction until both commit, each exactly once', async () => {
    // Both transactions hold their first row before either asks for its second: a certain deadlock.
    let holding = 0;
    let release!: () => void;
    const bothHold = new Promise<void>((resolve) => (release = resolve));
    const attempts = { first: 0, second: 0 };
    const bump = (manager: EntityManager, id: number) => manager.query('UPDATE deadlock_rows SET n = n + 1 WHERE id = ?', [id]);
    const crossing = (name: keyof typeof attempts, firstRow: number, secondRow: number) =>
      inTransaction(dataSource, async (manager) => {
        attempts[name] += 1;
        await bump(manager, firstRow);
        if (attempts[name] === 1) {
          holding += 1;
          if (holding === 2) release();
          await bothHold;
        }
        await bump(manager, secondRow);
        return name;
      });

    const results = await Promise.allSettled([crossing('first', 1, 2), crossing('second', 2, 1)]);

    expect(results).toEqual([
      { status: 'fulfilled', value: 'first' },
      { status: 'fulfilled', value: 'second' },
    ]);
    // InnoDB chose one victim (ER_LOCK_DEADLOCK); that one ran a second time.
    expect([attempts.first, attempts.second].sort()).toEqual([1, 2]);
    const rows: { id: number; n: number }[] = await dataSource.query('SELECT id, n FROM deadlock_rows ORDER BY id');
    expect(rows.map((r) => Number(r.n))).toEqual([2, 2]);
  });

  it('gives up with the deadlock error when TRANSACTION_RETRIES is 0', async () => {
    setTransactionRetries(dataSource, 0);
    try {
      let holding = 0;
      let release!: () => void;
      const bothHold = new Promise<void>((resolve) => (release = resolve));
      const crossing = (firstRow: number, secondRow: number) =>
        inTransaction(dataSource, async (manager) => {
          await manager.query('UPDATE deadlock_rows SET n = n + 1 WHERE id = ?', [firstRow]);
          holding += 1;
          if (holding === 2) release();
          await bothHold;
          await manager.query('UPDATE deadlock_rows SET n = n + 1 WHERE id = ?', [secondRow]);
        });
      const results = await Promise.allSettled([crossing(1, 2), crossing(2, 1)]);
      const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(failures).toHaveLength(1);
      expect(failures[0].reason).toMatchObject({ errno: 1213 });
    } finally {
      setTransactionRetries(dataSource, 5);
    }
  });
});
