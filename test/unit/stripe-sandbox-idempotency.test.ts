import express from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { idempotency } from '../../server/sandbox/stripe/stripe-idempotency';

// The sandbox's idempotency store runs inside the development store: it must replay a key, and
// must not keep every key of a long checkout burst (beyond 5,000 the oldest go first).
describe('Stripe sandbox idempotency keys', () => {
  let server: Server;
  let origin: string;
  let runs = 0;

  beforeAll(async () => {
    const app = express();
    app.post('/v1/refunds', idempotency(), (_req, res) => {
      res.json({ run: ++runs });
    });
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    // fetch keeps connections alive; a server closing an idle one (after Node's 5 s) just as fetch
    // reuses it resets that POST, which fetch does not retry. On a loaded CI machine such a pause
    // happened: the test is about keys, so the server keeps its connections for the whole run.
    server.keepAliveTimeout = 120_000;
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const post = async (key: string): Promise<{ run: number; replayed: boolean }> => {
    const response = await fetch(`${origin}/v1/refunds`, { method: 'POST', headers: { 'Idempotency-Key': key } });
    const body = (await response.json()) as { run: number };
    return { run: body.run, replayed: response.headers.get('Idempotent-Replayed') === 'true' };
  };

  it('replays a recent key and forgets the oldest once more than 5,000 are kept', async () => {
    const first = await post('key-0');
    expect(await post('key-0')).toEqual({ run: first.run, replayed: true });

    for (let batch = 1; batch <= 5_000; batch += 100) {
      await Promise.all(Array.from({ length: 100 }, (_, i) => post(`key-${batch + i}`)));
    }
    // The request that finds 5,001 keys drops key-0 before it is looked up: it runs again.
    expect((await post('key-0')).replayed).toBe(false);
    expect((await post('key-5000')).replayed).toBe(true);
  }, 60_000);
});
