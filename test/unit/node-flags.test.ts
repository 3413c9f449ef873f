import fs from 'node:fs';
import path from 'node:path';
import { STORE_NODE_FLAGS } from '../../server/node-flags';

describe('the flags the store process runs with', () => {
  it('are the ones npm start uses', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { scripts: { start: string } };
    expect(pkg.scripts.start).toContain(`node ${STORE_NODE_FLAGS.join(' ')} dist/server/main.js`);
  });
});
