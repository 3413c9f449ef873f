// Packs wp-bridge/ into dist/padlock-store-wp-bridge.zip (or the path given as the first
// argument), with the folder `wp-bridge/` at the root of the archive, as WordPress's "Upload
// Plugin" expects. No dependency: a minimal zip
// writer (DEFLATE, or STORE when deflating does not help) on node:zlib and a CRC-32 table.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateRawSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'wp-bridge');
const folder = 'wp-bridge';
const output = process.argv[2] ? resolve(process.argv[2]) : join(root, 'dist', 'padlock-store-wp-bridge.zip');

const CRC_TABLE = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** MS-DOS date and time fields (local time, 2-second resolution, 1980 at the earliest). */
function dosDateTime(date) {
  const year = Math.max(date.getFullYear(), 1980);
  return {
    time: (date.getHours() << 11) | (date.getMinutes() << 5) | (date.getSeconds() >> 1),
    date: ((year - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
  };
}

/** Files and folders under dir, sorted, skipping dotfiles and build leftovers. */
function walk(dir) {
  const entries = [];
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.') || name === 'node_modules' || name.endsWith('.zip')) continue;
    const path = join(dir, name);
    const stat = statSync(path);
    if (stat.isDirectory()) entries.push({ path, stat, dir: true }, ...walk(path));
    else if (stat.isFile()) entries.push({ path, stat, dir: false });
  }
  return entries;
}

const epoch = process.env.SOURCE_DATE_EPOCH ? new Date(Number(process.env.SOURCE_DATE_EPOCH) * 1000) : null;
const locals = [];
const centrals = [];
let offset = 0;

for (const entry of [{ path: source, stat: statSync(source), dir: true }, ...walk(source)]) {
  const rel = relative(source, entry.path).split(sep).join('/');
  const name = Buffer.from(rel ? `${folder}/${rel}${entry.dir ? '/' : ''}` : `${folder}/`, 'utf8');
  const data = entry.dir ? Buffer.alloc(0) : readFileSync(entry.path);
  const deflated = entry.dir ? data : deflateRawSync(data, { level: 9 });
  const method = !entry.dir && deflated.length < data.length ? 8 : 0;
  const body = method === 8 ? deflated : data;
  const crc = crc32(data);
  const { time, date } = dosDateTime(epoch ?? entry.stat.mtime);

  // The local header and the central directory entry share these fields, in this order.
  const shared = (header, at) => {
    header.writeUInt16LE(20, at); // version needed to extract (2.0)
    header.writeUInt16LE(0x0800, at + 2); // flags: names are UTF-8
    header.writeUInt16LE(method, at + 4);
    header.writeUInt16LE(time, at + 6);
    header.writeUInt16LE(date, at + 8);
    header.writeUInt32LE(crc, at + 10);
    header.writeUInt32LE(body.length, at + 14);
    header.writeUInt32LE(data.length, at + 18);
    header.writeUInt16LE(name.length, at + 22);
    return header;
  };

  const local = shared(Buffer.alloc(30), 4);
  local.writeUInt32LE(0x04034b50, 0); // local file header signature; extra field length stays 0
  locals.push(local, name, body);

  const central = shared(Buffer.alloc(46), 6);
  central.writeUInt32LE(0x02014b50, 0); // central directory header signature
  central.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, zip 2.0
  // extra, comment, disk number, internal attributes: 0
  const mode = entry.dir ? 0o40755 : 0o100644;
  central.writeUInt32LE(((mode << 16) | (entry.dir ? 0x10 : 0)) >>> 0, 38); // Unix mode + MS-DOS directory bit
  central.writeUInt32LE(offset, 42);
  centrals.push(central, name);

  offset += local.length + name.length + body.length;
}

const directory = Buffer.concat(centrals);
const end = Buffer.alloc(22);
end.writeUInt32LE(0x06054b50, 0); // end of central directory signature
end.writeUInt16LE(centrals.length / 2, 8);
end.writeUInt16LE(centrals.length / 2, 10);
end.writeUInt32LE(directory.length, 12);
end.writeUInt32LE(offset, 16);

mkdirSync(dirname(output), { recursive: true });
writeFileSync(output, Buffer.concat([...locals, directory, end]));
console.log(`wp-zip: ${relative(root, output)} (${centrals.length / 2} entries, ${offset + directory.length + end.length} bytes)`);

// Check the archive with Info-ZIP when it is installed (it is optional).
try {
  execFileSync('unzip', ['-tq', output], { stdio: 'inherit' });
} catch (error) {
  if (error.code !== 'ENOENT') throw error;
}
