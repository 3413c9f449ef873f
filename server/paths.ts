import fs from 'node:fs';
import path from 'node:path';

function findProjectRoot(start: string): string {
  let dir = start;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`package.json not found above ${start}`);
    dir = parent;
  }
  return dir;
}

// The server runs from server/ (ts-jest) or dist/server/ (built); both find the same root.
const root = findProjectRoot(__dirname);

/** Folders the server reads assets and templates from. */
export const PATHS = Object.freeze({
  root,
  public: path.join(root, 'public'),
  publicBuild: path.join(root, 'public', 'build'),
  views: path.join(root, 'server', 'views'),
});
