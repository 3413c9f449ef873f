import https from 'node:https';

/** One answer of the store, body unread as bytes. */
export interface StoreAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

/** Speaks HTTPS to a store the way a shopper's browser does, one request at a time. */
export interface StoreClient {
  /** The origin requests go to (`https://shop.example.com`). */
  readonly baseUrl: string;
  request(
    method: 'GET' | 'POST',
    path: string,
    body?: { json: unknown } | { form: Readonly<Record<string, string>> },
  ): Promise<StoreAnswer>;
}

const TIMEOUT_MS = 20_000;
const MAX_BODY = 2 * 1024 * 1024;

/**
 * A {@link StoreClient} over node:https. Certificates are verified: against the system's
 * authorities, or against `ca` (a store's self-signed development certificate).
 */
export function httpsStoreClient(baseUrl: string, ca?: string | Buffer): StoreClient {
  return {
    baseUrl,
    request(method, path, body) {
      const payload =
        body === undefined
          ? undefined
          : 'json' in body
            ? { type: 'application/json', bytes: Buffer.from(JSON.stringify(body.json)) }
            : { type: 'application/x-www-form-urlencoded', bytes: Buffer.from(new URLSearchParams(body.form).toString()) };
      return new Promise<StoreAnswer>((resolve, reject) => {
        const req = https.request(
          new URL(path, baseUrl),
          {
            method,
            ca,
            timeout: TIMEOUT_MS,
            headers: payload ? { 'content-type': payload.type, 'content-length': payload.bytes.length } : {},
          },
          (res) => {
            const chunks: Buffer[] = [];
            let size = 0;
            res.on('data', (chunk: Buffer) => {
              size += chunk.length;
              if (size > MAX_BODY) req.destroy(new Error(`${method} ${path}: the answer is larger than ${MAX_BODY} bytes`));
              else chunks.push(chunk);
            });
            res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
            res.on('error', reject);
          },
        );
        req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within ${TIMEOUT_MS / 1000} s`)));
        req.on('error', reject);
        req.end(payload?.bytes);
      });
    },
  };
}
