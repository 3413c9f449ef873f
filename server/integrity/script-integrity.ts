import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** The manifest `npm run build:embed` writes beside the built scripts. */
export const INTEGRITY_MANIFEST = 'integrity.json';

/**
 * The Subresource Integrity value (`sha384-…`) of each of the store's own built scripts, keyed by
 * the URL path it is served at (`/assets/secure-context.js`). Pages render
 * `<script src integrity crossorigin="anonymous">` from it, so a browser refuses a script whose
 * bytes changed after the build.
 */
export class ScriptIntegrity {
  private constructor(private readonly hashes: ReadonlyMap<string, string>) {}

  /**
   * Reads `integrity.json` from the build folder and checks it against the built files, so a
   * missing or stale manifest stops the store at start-up instead of serving pages whose scripts
   * every browser would refuse.
   *
   * @throws Error naming the file and the command that fixes it
   */
  static load(buildDir: string): ScriptIntegrity {
    const file = path.join(buildDir, INTEGRITY_MANIFEST);
    const rebuild = 'run `npm run build:embed` (or `npm run build`)';
    let manifest: unknown;
    try {
      manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (err) {
      throw new Error(`The script integrity manifest ${file} is missing or unreadable (${(err as Error).message}): ${rebuild}`);
    }
    const scripts = (manifest as { scripts?: unknown } | null)?.scripts;
    if (typeof scripts !== 'object' || scripts === null) throw new Error(`${file} has no "scripts" map: ${rebuild}`);
    const hashes = new Map<string, string>();
    for (const [urlPath, hash] of Object.entries(scripts as Record<string, unknown>)) {
      const built = path.join(buildDir, path.basename(urlPath));
      const actual = fs.existsSync(built) ? sriHash(fs.readFileSync(built)) : null;
      if (typeof hash !== 'string' || actual !== hash)
        throw new Error(`${file} does not match ${built} (built again without the manifest, or edited): ${rebuild}`);
      hashes.set(urlPath, hash);
    }
    const unlisted = fs
      .readdirSync(buildDir)
      .filter((name) => name.endsWith('.js') && ![...hashes.keys()].some((p) => path.basename(p) === name));
    if (unlisted.length > 0) throw new Error(`${file} does not list ${unlisted.join(', ')} (built again without the manifest): ${rebuild}`);
    return new ScriptIntegrity(hashes);
  }

  /**
   * The `integrity` value of a script the store serves.
   *
   * @throws Error when the build produced no such script (a template names a script that is not built)
   */
  of(urlPath: string): string {
    const hash = this.hashes.get(urlPath);
    if (!hash) throw new Error(`No built script ${urlPath} in ${INTEGRITY_MANIFEST}: is it in public/checkout/ and built?`);
    return hash;
  }
}

/** `sha384-<base64>` of some bytes: the form an `integrity` attribute takes. */
export function sriHash(bytes: Buffer | string): string {
  return `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
}
