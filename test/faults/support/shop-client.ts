import https from 'node:https';
import { validCheckoutForm } from '../../support/shopper';

/** One answer, read in full. */
export interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/** The `{ error: { code, message } }` of an error answer, or null. */
export function errorOf(answer: Answer): { code: string; message: string } | null {
  try {
    return (JSON.parse(answer.body) as { error?: { code: string; message: string } }).error ?? null;
  } catch {
    return null;
  }
}

/**
 * A shopper's HTTP client for a store process: HTTPS to 127.0.0.1 trusting the store's
 * certificate (issued for localhost), over keep-alive connections, each request bounded in time.
 */
export class ShopClient {
  readonly agent: https.Agent;

  constructor(
    private readonly url: string,
    ca: string,
    options: { keepAlive?: boolean; maxSockets?: number; timeoutMs?: number } = {},
  ) {
    this.agent = new https.Agent({
      keepAlive: options.keepAlive ?? true,
      maxSockets: options.maxSockets ?? 8,
      ca,
      servername: 'localhost',
    });
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  private readonly timeoutMs: number;

  request(method: string, path: string, body?: { json?: unknown; form?: Record<string, string> }): Promise<Answer> {
    const payload =
      body?.json !== undefined ? JSON.stringify(body.json) : body?.form ? new URLSearchParams(body.form).toString() : undefined;
    const headers: Record<string, string> = { Accept: body?.form ? 'text/html' : 'application/json' };
    if (payload !== undefined) {
      headers['Content-Type'] = body?.json !== undefined ? 'application/json' : 'application/x-www-form-urlencoded';
      headers['Content-Length'] = String(Buffer.byteLength(payload));
    }
    return new Promise((resolve, reject) => {
      const req = https.request(`${this.url}${path}`, { method, headers, agent: this.agent, timeout: this.timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within ${this.timeoutMs} ms`)));
      // reusedSocket: sent on a kept-alive connection the server may have closed meanwhile (retry-safe for idempotent requests).
      req.on('error', (err) => reject(Object.assign(err, { reusedSocket: req.reusedSocket })));
      req.end(payload);
    });
  }

  async expect(
    status: number | number[],
    method: string,
    path: string,
    body?: { json?: unknown; form?: Record<string, string> },
  ): Promise<Answer> {
    const answer = await this.request(method, path, body);
    const allowed = Array.isArray(status) ? status : [status];
    if (!allowed.includes(answer.status)) throw new Error(`${method} ${path} answered ${answer.status}: ${answer.body.slice(0, 300)}`);
    return answer;
  }

  async products(): Promise<{ id: number; slug: string; inStock: boolean }[]> {
    const answer = await this.expect(200, 'GET', '/api/products');
    return (JSON.parse(answer.body) as { items: { id: number; slug: string; inStock: boolean }[] }).items;
  }

  /** A new cart holding `quantity` of product `productId`; returns its id. */
  async cartWith(productId: number, quantity = 1): Promise<string> {
    const cart = JSON.parse((await this.expect(201, 'POST', '/api/carts', { json: {} })).body) as { id: string };
    await this.expect(201, 'POST', `/api/carts/${cart.id}/items`, { json: { productId, quantity } });
    return cart.id;
  }

  /** Checks the cart out and fills the checkout form: returns the checkout token (the order awaits payment). */
  async placeOrder(cartId: string): Promise<string> {
    const started = await this.expect(201, 'POST', `/api/carts/${cartId}/checkout`, {
      json: { returnUrl: 'http://localhost:8000/blog/shop' },
    });
    const token = new URL((JSON.parse(started.body) as { checkoutUrl: string }).checkoutUrl).pathname.split('/').pop()!;
    await this.expect(303, 'POST', `/checkout/${token}`, { form: validCheckoutForm() });
    return token;
  }

  /** Pays with Braintree's in-page fields (a sandbox test nonce): the answer, a 303 to the order page when paid. */
  payBraintree(token: string, nonce = 'fake-valid-nonce'): Promise<Answer> {
    return this.request('POST', `/checkout/${token}/pay/braintree`, { form: { nonce } });
  }

  /** Starts the Stripe hosted page: the URL of the sandbox's page the store redirects to. */
  async startStripe(token: string): Promise<string> {
    const answer = await this.expect(303, 'POST', `/checkout/${token}/pay/stripe`, { form: {} });
    return answer.headers.location as string;
  }

  close(): void {
    this.agent.destroy();
  }
}
