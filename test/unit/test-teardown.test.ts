import net from 'node:net';
import { holdRefusingPort, listenOnLoopback, closeServer } from '../support/loopback';
import { Teardown } from '../support/teardown';

// The test harness's own promises: what every suite's clean exit rests on.

describe('Teardown', () => {
  it('runs the steps last registered first, each even if another failed, then throws the first failure', async () => {
    const teardown = new Teardown();
    const ran: string[] = [];
    teardown.defer(() => ran.push('folder'));
    await teardown.track(Promise.resolve('store'), (name) => {
      ran.push(name);
      throw new Error('store would not stop');
    });
    teardown.defer(() => {
      ran.push('browser');
      throw new Error('browser would not close');
    });
    await expect(teardown.run()).rejects.toThrow('browser would not close');
    expect(ran).toEqual(['browser', 'store', 'folder']);
  });

  it('waits for a resource still being created, then stops it', async () => {
    const teardown = new Teardown();
    let finish!: (value: string) => void;
    const stopped: string[] = [];
    const creating = teardown.track(new Promise<string>((resolve) => (finish = resolve)), (r) => stopped.push(r));
    const running = teardown.run();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(stopped).toEqual([]);
    finish('php -S');
    await running;
    await creating;
    expect(stopped).toEqual(['php -S']);
  });

  it('has nothing to stop when the creation failed (the creator cleaned up after itself)', async () => {
    const teardown = new Teardown();
    const stop = jest.fn();
    await expect(teardown.track(Promise.reject(new Error('no port')), stop)).rejects.toThrow('no port');
    await teardown.run();
    expect(stop).not.toHaveBeenCalled();
  });

  it('stops what a set-up registers after the teardown ran, and stops that set-up with an error', async () => {
    const teardown = new Teardown();
    await teardown.run();
    const stop = jest.fn();
    await expect(teardown.track(Promise.resolve('late browser'), stop)).rejects.toThrow(/after its teardown had run/);
    expect(stop).toHaveBeenCalledWith('late browser');
    const step = jest.fn();
    expect(() => teardown.defer(step)).toThrow(/after its teardown had run/);
    await new Promise((resolve) => setImmediate(resolve));
    expect(step).toHaveBeenCalled();
  });
});

describe('holdRefusingPort', () => {
  it('refuses connections, and nobody can listen on the port while it is held', async () => {
    const held = await holdRefusingPort();
    try {
      const refused = await new Promise<string>((resolve) => {
        const socket = net.connect(held.port, '127.0.0.1');
        socket.once('connect', () => {
          socket.destroy();
          resolve('connected');
        });
        socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
      });
      expect(refused).toBe('ECONNREFUSED');
      for (const host of ['127.0.0.1', '::']) {
        const server = net.createServer();
        const outcome = await new Promise<string>((resolve) => {
          server.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
          server.listen(held.port, host, () => resolve('listening'));
        });
        if (outcome === 'listening') await closeServer(server);
        expect(outcome).toBe('EADDRINUSE');
      }
    } finally {
      held.release();
    }
  });

  it('lets the port go on release', async () => {
    const held = await holdRefusingPort();
    held.release();
    // The port is free for a listener again once both ends are gone (TIME_WAIT does not block it).
    const server = net.createServer();
    await new Promise<void>((resolve) => setTimeout(resolve, 50));
    await expect(
      new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(held.port, '127.0.0.1', () => resolve());
      }),
    ).resolves.toBeUndefined();
    await closeServer(server);
  });
});

describe('listenOnLoopback', () => {
  it('listens on a port the system picks, on loopback', async () => {
    const server = await listenOnLoopback(net.createServer());
    try {
      const address = server.address() as net.AddressInfo;
      expect(address.address).toBe('127.0.0.1');
      expect(address.port).toBeGreaterThan(0);
    } finally {
      await closeServer(server);
    }
  });
});
