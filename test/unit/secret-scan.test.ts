import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeLeaks, findLeaks, masked, readRun, recordOutput, registerSecrets, SCAN_DIR_ENV } from '../support/secret-scan';

// The whole-suite secret scan must be able to fail: a planted secret in captured output is found,
// reported without being repeated, and output free of secrets passes.

const PLANTED = 'whsec_Pl4nt3dS3cretF0rTheScanT3st';

describe('the secret scan', () => {
  it('finds a planted secret in a log line, as it is or percent-encoded, and names where', () => {
    const secrets = [
      { source: 'STRIPE_WEBHOOK_SECRET', value: PLANTED },
      { source: 'TOTP secret', value: 'KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU' },
    ];
    const outputs = [
      { source: 'clean store', text: '{"msg":"request completed","url":"/api/products"}\n{"msg":"Padlock Store is running"}' },
      { source: 'leaky store', text: `{"msg":"starting"}\n{"msg":"verifying with ${PLANTED}"}` },
      { source: 'leaky url', text: `GET /x?s=${encodeURIComponent('a b/' + PLANTED)}` },
    ];
    const leaks = findLeaks(secrets, outputs);
    expect(leaks).toEqual([
      { secret: masked(PLANTED), secretSource: 'STRIPE_WEBHOOK_SECRET', outputSource: 'leaky store', line: 2 },
      { secret: masked(PLANTED), secretSource: 'STRIPE_WEBHOOK_SECRET', outputSource: 'leaky url', line: 1 },
    ]);
    const report = describeLeaks(leaks);
    expect(report).toContain('STRIPE_WEBHOOK_SECRET whse…(33 chars) in leaky store, line 2');
    expect(report).not.toContain(PLANTED);
  });

  it('passes output without secrets, and ignores values too short to mean anything', () => {
    expect(findLeaks([{ source: 'x', value: PLANTED }], [{ source: 'clean', text: 'nothing to see' }])).toEqual([]);
    expect(findLeaks([{ source: 'short', value: 'abc' }], [{ source: 'any', text: 'abcdef abc' }])).toEqual([]);
  });

  it('collects what workers register into the run folder, and finds the planted secret there', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'padlock-scan-unit-'));
    const before = process.env[SCAN_DIR_ENV];
    process.env[SCAN_DIR_ENV] = dir;
    try {
      registerSecrets('STRIPE_WEBHOOK_SECRET', [PLANTED, null, undefined, 'short']);
      recordOutput('a store log', `{"msg":"ok"}\n{"msg":"secret is ${PLANTED}"}`);
      const run = readRun(dir);
      expect(run.secrets).toEqual([{ source: 'STRIPE_WEBHOOK_SECRET', value: PLANTED }]);
      expect(findLeaks(run.secrets, run.outputs)).toEqual([expect.objectContaining({ outputSource: 'a store log', line: 2 })]);
    } finally {
      if (before === undefined) delete process.env[SCAN_DIR_ENV];
      else process.env[SCAN_DIR_ENV] = before;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
