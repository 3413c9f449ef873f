import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import request from 'supertest';
import { loadConfig } from '../../server/config';
import { openDatabase } from '../../server/database';
import { databaseReadiness } from '../../server/db/database-readiness';
import { useTeardown } from '../support/teardown';
import { scratchDatabase } from '../support/test-database';

describe('GET /readyz (the load balancer check)', () => {
  const teardown = useTeardown();

  it('answers 200 while the database answers and 503 once it does not', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'padlock-readyz-'));
    teardown.defer(() => fs.rmSync(dir, { recursive: true, force: true }));
    const database = await teardown.track(scratchDatabase(dir), (db) => db.drop());
    const dataSource = await openDatabase(loadConfig({ DATABASE_URL: database.url, DATA_DIR: dir }).database);
    const app = express().get('/readyz', databaseReadiness(dataSource));

    expect((await request(app).get('/readyz')).status).toBe(200);
    await dataSource.destroy();
    const down = await request(app).get('/readyz');
    expect(down.status).toBe(503);
    expect(down.body).toEqual({ status: 'database unavailable' });
  });
});
