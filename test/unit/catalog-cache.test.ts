import { CatalogCache, type Rendered } from '../../server/catalog/catalog-cache';

/** A version source the test controls, counting reads and holding each until released. */
class VersionSource {
  version = 1;
  reads = 0;
  private waiting: (() => void)[] = [];
  read = (): Promise<number> => {
    this.reads++;
    // What the database holds when the read starts is what it answers.
    const version = this.version;
    return new Promise((resolve) => this.waiting.push(() => resolve(version)));
  };
  release(): void {
    for (const done of this.waiting.splice(0)) done();
  }
}

/** Lets pending promise callbacks run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

function setUp(checkMs = 250) {
  let now = 0;
  const versions = new VersionSource();
  const cache = new CatalogCache({ readVersion: versions.read, checkMs, now: () => now, maxEntries: 3 });
  const builds: string[] = [];
  const build = (text: string) => async (): Promise<Rendered> => {
    builds.push(text);
    return { text, contentType: 'application/json; charset=utf-8' };
  };
  return { cache, versions, builds, build, advance: (ms: number) => (now += ms) };
}

async function got<T>(promise: Promise<T>, versions: VersionSource): Promise<T> {
  await settle();
  versions.release();
  return promise;
}

describe('CatalogCache', () => {
  it('builds a body once per version and gives it a strong ETag of its bytes', async () => {
    const { cache, versions, builds, build, advance } = setUp();
    const first = await got(cache.get('list', build('{"v":1}')), versions);
    expect(first?.body.toString()).toBe('{"v":1}');
    expect(first?.etag).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
    expect(await cache.get('list', build('{"v":"other"}'))).toBe(first);
    expect(cache.peek('list')).toBe(first);
    expect(builds).toEqual(['{"v":1}']);

    // Same version after the check interval: the body stays.
    advance(300);
    expect(cache.peek('list')).toBeUndefined();
    expect(await got(cache.get('list', build('{"v":"again"}')), versions)).toBe(first);

    // A new version: built again, new bytes, new tag.
    versions.version = 2;
    advance(300);
    const second = await got(cache.get('list', build('{"v":2}')), versions);
    expect(second?.body.toString()).toBe('{"v":2}');
    expect(second?.etag).not.toBe(first?.etag);
    expect(builds).toEqual(['{"v":1}', '{"v":2}']);
  });

  it('reads the version at most once per interval, with one read in flight however many requests wait', async () => {
    const { cache, versions, build, advance } = setUp();
    const asked = Array.from({ length: 50 }, () => cache.get('list', build('{}')));
    await settle();
    expect(versions.reads).toBe(1);
    versions.release();
    await Promise.all(asked);
    advance(100);
    await Promise.all(Array.from({ length: 50 }, () => cache.get('list', build('{}'))));
    expect(versions.reads).toBe(1);
    advance(200);
    const later = Promise.all(Array.from({ length: 50 }, () => cache.get('list', build('{}'))));
    await settle();
    expect(versions.reads).toBe(2);
    versions.release();
    await later;
  });

  it('builds each key once while many requests ask for it', async () => {
    const { cache, versions, builds, build } = setUp();
    const asked = Array.from({ length: 20 }, () => cache.get('list', build('{}')));
    await settle();
    versions.release();
    const answers = await Promise.all(asked);
    expect(builds).toHaveLength(1);
    expect(new Set(answers).size).toBe(1);
  });

  it('keeps "there is none" (null) as an answer, and drops a failed build', async () => {
    const { cache, versions } = setUp();
    expect(
      await got(
        cache.get('missing', async () => null),
        versions,
      ),
    ).toBeNull();
    expect(cache.peek('missing')).toBeNull();
    await expect(cache.get('broken', async () => Promise.reject(new Error('database gone')))).rejects.toThrow('database gone');
    await settle();
    expect(cache.peek('broken')).toBeUndefined();
    expect((await cache.get('broken', async () => ({ text: 'ok', contentType: 'text/plain' })))?.body.toString()).toBe('ok');
  });

  it('keeps at most maxEntries bodies, dropping the oldest', async () => {
    const { cache, versions, build } = setUp();
    await got(cache.get('a', build('a')), versions);
    for (const key of ['b', 'c', 'd']) await cache.get(key, build(key));
    expect(cache.size).toBe(3);
    expect(cache.peek('a')).toBeUndefined();
    expect(cache.peek('d')?.body.toString()).toBe('d');
  });

  it('reads the version again at once after invalidate (a change committed here), also when a read was in flight', async () => {
    const { cache, versions, build } = setUp();
    await got(cache.get('list', build('v1')), versions);
    versions.version = 2;
    cache.invalidate();
    expect(cache.peek('list')).toBeUndefined();
    expect((await got(cache.get('list', build('v2')), versions))?.body.toString()).toBe('v2');
    expect(versions.reads).toBe(2);

    // A read that started before the change was committed does not count as seeing it.
    cache.invalidate();
    const inFlight = cache.get('list', build('v3'));
    await settle();
    versions.version = 3;
    cache.invalidate();
    versions.release();
    expect((await inFlight)?.body.toString()).toBe('v2');
    expect(cache.peek('list')).toBeUndefined();
    expect((await got(cache.get('list', build('v3')), versions))?.body.toString()).toBe('v3');
  });

  it('serves nothing from peek before the first version read', () => {
    const { cache } = setUp();
    expect(cache.peek('list')).toBeUndefined();
  });
});
