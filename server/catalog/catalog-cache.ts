import { createHash } from 'node:crypto';

/** A response body serialised once per catalog version, with its strong ETag. */
export interface PreparedBody {
  readonly body: Buffer;
  /** A strong ETag (quoted hash of the bytes): equal on every instance for equal bytes. */
  readonly etag: string;
  readonly contentType: string;
}

/** What a builder renders: the text and its media type, or `null` for "there is no such thing" (404). */
export type Rendered = { readonly text: string; readonly contentType: string } | null;

interface Entry {
  readonly version: number;
  readonly pending: Promise<PreparedBody | null>;
  /** Set once built: the hot path answers from it without awaiting anything. */
  done?: { readonly value: PreparedBody | null };
}

/** Options of a {@link CatalogCache}. */
export interface CatalogCacheOptions {
  /** Reads the catalog's version from the database (catalog-version.ts). */
  readonly readVersion: () => Promise<number>;
  /** Milliseconds a version read stays trusted; older, the next request reads it again first. */
  readonly checkMs: number;
  /** Most bodies kept (keys come from requests: pages, categories, slugs); the oldest go first. */
  readonly maxEntries?: number;
  /** Monotonic milliseconds (tests drive it). */
  readonly now?: () => number;
}

/** Serialises and hashes a rendered body. */
export function prepareBody(rendered: NonNullable<Rendered>): PreparedBody {
  const body = Buffer.from(rendered.text, 'utf8');
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
  return { body, etag, contentType: rendered.contentType };
}

/**
 * The catalog's responses (API JSON and HTML snapshots), serialised once per catalog version.
 *
 * The version lives in the database, so every instance sharing it agrees: a request finding the
 * last version read older than `checkMs` waits for a new read, and all requests arriving meanwhile
 * wait for the same one (never more than one read in flight). When the version moved, every body
 * is dropped and built again on demand, one build per key however many requests ask at once.
 */
export class CatalogCache {
  private version: number | null = null;
  private checkedAt = 0;
  /** Counts {@link invalidate} calls; a version read is trusted only if none came since it started. */
  private invalidations = 0;
  private checkedGeneration = -1;
  private checking: Promise<number> | null = null;
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(private readonly options: CatalogCacheOptions) {
    this.maxEntries = options.maxEntries ?? 2000;
    this.now = options.now ?? (() => performance.now());
  }

  /**
   * The body under `key` when it is built and the version is fresh: answered without any await.
   * `undefined` when {@link get} must be asked; `null` when the builder said there is none.
   */
  peek(key: string): PreparedBody | null | undefined {
    if (!this.fresh()) return undefined;
    const entry = this.entries.get(key);
    return entry && entry.version === this.version ? entry.done?.value : undefined;
  }

  /** The body under `key` at the current version, built by `build` when it is not yet. */
  async get(key: string, build: () => Promise<Rendered>): Promise<PreparedBody | null> {
    const version = await this.currentVersion();
    const entry = this.entries.get(key);
    if (entry && entry.version === version) return entry.pending;
    const pending = build().then((rendered) => (rendered === null ? null : prepareBody(rendered)));
    const fresh: Entry = { version, pending };
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, fresh);
    pending.then(
      (value) => {
        fresh.done = { value };
      },
      // A failed build is not kept: the next request tries again.
      () => {
        if (this.entries.get(key) === fresh) this.entries.delete(key);
      },
    );
    return pending;
  }

  /** How many bodies are kept (for tests). */
  get size(): number {
    return this.entries.size;
  }

  /**
   * Makes the next request read the version again, even within `checkMs`: this instance has just
   * committed a change (catalog-version.ts calls it after the commit).
   */
  invalidate(): void {
    this.invalidations++;
  }

  private fresh(): boolean {
    return this.version !== null && this.checkedGeneration === this.invalidations && this.now() - this.checkedAt < this.options.checkMs;
  }

  private currentVersion(): number | Promise<number> {
    if (this.fresh() && this.version !== null) return this.version;
    return (this.checking ??= this.check());
  }

  private async check(): Promise<number> {
    // The read counts from when it started: a write committed after that may have been missed.
    const startedAt = this.now();
    const generation = this.invalidations;
    try {
      const version = await this.options.readVersion();
      if (version !== this.version) {
        this.entries.clear();
        this.version = version;
      }
      this.checkedAt = startedAt;
      this.checkedGeneration = generation;
      return version;
    } finally {
      this.checking = null;
    }
  }
}
