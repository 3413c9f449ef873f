// Set-ups in these tests start real things (stores, browsers, php -S, proxies, SMTP sinks); each
// one is registered here the moment it exists, so that a set-up that fails or times out half way
// is still torn down, and jest exits right after its summary instead of waiting on open handles.

const TOO_LATE = 'the set-up went on after its teardown had run (its hook timed out?): what it created was stopped again';

/**
 * Steps that undo a set-up, run last first. A resource is registered as soon as it exists (or
 * while it is still being created), not at the end of the set-up, so nothing is missed when a
 * later step fails.
 */
export class Teardown {
  private readonly steps: Array<() => Promise<unknown>> = [];
  private ran = false;

  /**
   * Registers how to stop a resource and returns it. `creating` may still be in progress: the
   * teardown then waits for it and stops what it turns out to be (a creation that fails has
   * nothing to stop: every helper here cleans up after its own failure). Registered after the
   * teardown ran (a set-up that went on after its hook timed out), the resource is stopped at
   * once and the set-up is stopped with an error.
   */
  async track<T>(creating: T | Promise<T>, stop: (resource: T) => unknown): Promise<T> {
    const created = Promise.resolve(creating);
    if (this.ran) {
      await stop(await created);
      throw new Error(TOO_LATE);
    }
    this.steps.push(() => created.then(stop, () => undefined));
    return created;
  }

  /**
   * Registers a step (removing a folder, restoring a setting). After the teardown ran, starts it
   * at once and stops the set-up with an error.
   */
  defer(step: () => unknown): void {
    if (this.ran) {
      Promise.resolve()
        .then(step)
        .catch((error: unknown) => console.error('a late teardown step failed', error));
      throw new Error(TOO_LATE);
    }
    this.steps.push(async () => step());
  }

  /** Runs every step, last registered first, each even if another failed; then throws the first failure. */
  async run(): Promise<void> {
    this.ran = true;
    await runAll(this.steps.splice(0).reverse());
  }
}

/**
 * A {@link Teardown} for the enclosing `describe` (or file): it runs in an `afterAll`, which jest
 * runs even when a `beforeAll` failed.
 */
export function useTeardown(): Teardown {
  const teardown = new Teardown();
  afterAll(() => teardown.run());
  return teardown;
}

/** Runs every step in order, each even if another failed, then throws the first failure. */
export async function runAll(steps: ReadonlyArray<(() => Promise<unknown>) | undefined>): Promise<void> {
  let failed = false;
  let first: unknown;
  for (const step of steps) {
    if (!step) continue;
    try {
      await step();
    } catch (error) {
      if (!failed) first = error;
      failed = true;
    }
  }
  if (failed) throw first;
}
