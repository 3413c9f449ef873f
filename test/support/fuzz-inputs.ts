import tls from 'node:tls';
import fc from 'fast-check';

// Hostile inputs for the attack suite's fuzzer: what a scanner or a curious visitor sends to a
// JSON API. Values are built so that every one can be sent (Node refuses some header bytes; those
// go through {@link rawHttpsRequest}).

/** SQL-shaped strings: classic injections in each quoting style, comments, stacked queries, wildcards. */
export const SQL_PAYLOADS: readonly string[] = [
  "' OR '1'='1",
  "' OR 1=1 --",
  '" OR 1=1 --',
  "1' OR '1'='1' -- ",
  '1; DROP TABLE orders--',
  "'; DROP TABLE products; --",
  "x' UNION SELECT email, password_hash FROM admin_users --",
  '1 UNION SELECT NULL,NULL,NULL--',
  "%' --",
  '%',
  '_',
  "\\' OR 1=1 #",
  '\\',
  '\\\\',
  "') OR ('a'='a",
  '1 AND SLEEP(5)',
  "1' AND (SELECT 1 FROM (SELECT SLEEP(5))x) --",
  '0x27204f52202731273d2731',
  "admin'--",
  '1/**/OR/**/1=1',
];

/** Path traversal and file-name tricks. */
export const TRAVERSAL_PAYLOADS: readonly string[] = [
  '../../../../etc/passwd',
  '..%2f..%2f..%2fetc%2fpasswd',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '....//....//etc/passwd',
  '..\\..\\windows\\win.ini',
  '/etc/passwd%00.png',
  'file:///etc/passwd',
  '/work/../../proc/self/environ',
];

/** Odd strings: markup, templates, control and bidi characters, look-alike digits, long runs. */
export const ODD_STRINGS: readonly string[] = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '${7*7}',
  '{{7*7}}',
  '<%= 7*7 %>',
  '\u0000',
  '\uFEFF',
  '\u202Eevil',
  '\uD800',
  'ｆｕｌｌ ｗｉｄｔｈ',
  '١٢٣٤',
  '𝟙𝟚𝟛',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '0x10',
  '9007199254740993',
  ' ',
  '',
  'a'.repeat(5000),
  'javascript:alert(1)',
  'http://127.0.0.1:22/',
  'http://169.254.169.254/latest/meta-data/',
  '%0d%0aSet-Cookie:%20injected=1',
  'a\r\nInjected: 1',
];

/** Keys that pollute an object's prototype when merged carelessly (issue 11 part 6). */
export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

/** Field names the store's bodies really use, so fuzzed bodies get past the first check sometimes. */
const REAL_KEYS = [
  'productId',
  'quantity',
  'returnUrl',
  'email',
  'password',
  'code',
  'name',
  'slug',
  'description',
  'price',
  'stock',
  'expectedStock',
  'active',
  'image',
  'category',
  'amount',
  'trackingNote',
  'reason',
  'nonce',
  '_csrf',
  'type',
  'data',
  'id',
];

/** A hostile string: one of the lists above, a random one, or a mix. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...SQL_PAYLOADS, ...TRAVERSAL_PAYLOADS, ...ODD_STRINGS),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.integer().map(String),
  fc.double({ noNaN: true }).map(String),
  fc.tuple(fc.constantFrom(...SQL_PAYLOADS, ...ODD_STRINGS), fc.string({ maxLength: 8 })).map(([a, b]) => a + b),
);

/** An object key: a real field, a prototype key, or anything. */
export const hostileKey: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...REAL_KEYS) },
  { weight: 1, arbitrary: fc.constantFrom(...PROTOTYPE_KEYS) },
  { weight: 2, arbitrary: hostileString },
);

/** Any JSON value, with hostile strings and keys, at most a few levels deep. */
export const hostileJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    fc.integer(),
    fc.constantFrom(0, -1, 1, 2 ** 31, 2 ** 53, -(2 ** 63), 1e308, 0.1, -0),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(hostileKey, tie('value'), { maxKeys: 6 }),
  ),
})).value;

/** JSON text of a value, with `__proto__` as a real own key (JSON.stringify of a literal would drop it). */
export function jsonWithKey(base: Record<string, unknown>, key: string, value: unknown): string {
  const rest = JSON.stringify(base).slice(1, -1);
  return `{${rest}${rest ? ',' : ''}${JSON.stringify(key)}:${JSON.stringify(value)}}`;
}

/** Raw request bodies that are not merely odd values: broken, huge, deep, wrongly labelled. */
const RAW_BODIES: readonly string[] = [
  '',
  '{',
  '{"a":',
  '[',
  'null',
  'true',
  '"string"',
  '12',
  '{"a":1,"a":2}',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '{"prototype":{"polluted":true}}',
  '{"productId":1,"quantity":1,"__proto__":{"polluted":true}}',
  '{"quantity":1,"constructor":{"prototype":{"polluted":true}}}',
  '[{"__proto__":{"polluted":true}}]',
  '{"a":{"b":{"__proto__":{"polluted":true}}}}',
  `${'['.repeat(3000)}${']'.repeat(3000)}`,
  `${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}`,
  `[${Array.from({ length: 15000 }, () => '1').join(',')}]`,
  `{"a":"${'x'.repeat(40000)}"}`,
  '\uFEFF{}',
  '{"quantity":1e999}',
  '{"productId":"1","quantity":"1"}',
  '{"productId":1.5,"quantity":-1}',
  '{"returnUrl":"javascript:alert(1)"}',
  '{"returnUrl":"https://blog.example/shop?x=4111%201111%201111%201111"}',
  'productId=1&quantity=1',
  '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
  '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n',
];

/** Content types a body may claim, right or wrong. */
const CONTENT_TYPES: readonly string[] = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'application/json; charset=koi8-r',
  'application/vnd.api+json',
  'text/plain',
  'text/html',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/csp-report',
  'application/reports+json',
  'application/octet-stream',
  '*/*',
  'garbage',
];

/** A request body: its text and the content type it claims. */
export interface FuzzBody {
  readonly contentType: string;
  readonly text: string;
}

/** A body: fuzzed JSON as JSON, fuzzed JSON with the wrong label, a raw oddity, or a form. */
export const hostileBody: fc.Arbitrary<FuzzBody> = fc.oneof(
  { weight: 4, arbitrary: hostileJson.map((v) => ({ contentType: 'application/json', text: JSON.stringify(v) ?? 'null' })) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom(...CONTENT_TYPES), hostileJson)
      .map(([contentType, v]) => ({ contentType, text: JSON.stringify(v) ?? '' })),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom(...CONTENT_TYPES), fc.constantFrom(...RAW_BODIES))
      .map(([contentType, text]) => ({ contentType, text })),
  },
  {
    weight: 1,
    arbitrary: fc
      .dictionary(hostileKey, hostileString, { maxKeys: 5 })
      .map((fields) => ({ contentType: 'application/x-www-form-urlencoded', text: new URLSearchParams(fields).toString() })),
  },
);

/** The string with lone surrogates replaced (U+FFFD), as a browser would before percent-encoding it into a URL. */
export const wellFormed = (value: string): string => Buffer.from(value, 'utf8').toString('utf8');

/** A query string (without `?`): random fields, repeated fields, bracket syntax, broken escapes. */
export const hostileQuery: fc.Arbitrary<string> = fc.oneof(
  fc
    .array(fc.tuple(hostileKey, hostileString), { maxLength: 5 })
    .map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(wellFormed(k))}=${encodeURIComponent(wellFormed(v))}`).join('&')),
  fc.constantFrom(
    '%',
    '%%',
    '%zz',
    'a=%E0%A4%A',
    'page[0]=1&page[1]=2',
    'limit=1&limit=2',
    '__proto__[polluted]=1',
    'constructor[prototype][x]=1',
    '&&&',
    '=',
    'q',
    // URLs a URI check accepts and the URL parser refuses (once a 500 of /api/embed-check).
    'origin=https%3A%2F%2Fblog.example%25',
    'origin=http%3A%2F%2F%5B%3A%3A1',
    'returnUrl=https%3A%2F%2Fa%25b',
  ),
);

/** Header values Node is willing to send: printable Latin-1 only (CR/LF go through {@link rawHttpsRequest}). */
const headerValue: fc.Arbitrary<string> = hostileString.map((s) => s.replace(/[^\t\x20-\x7e\x80-\xff]/g, '').slice(0, 2000));

/** Request headers an attacker sets: forged proxies, origins, cookies, tokens, signatures. */
export const hostileHeaders: fc.Arbitrary<Record<string, string>> = fc.record(
  {
    'X-Forwarded-For': headerValue,
    'X-Forwarded-Proto': fc.constantFrom('http', 'https', 'gopher', ''),
    'X-Forwarded-Host': headerValue,
    Origin: fc.oneof(fc.constantFrom('null', 'https://attacker.example', 'https://blog.example'), headerValue),
    Cookie: fc.oneof(
      headerValue.map((v) => `__Host-padlock_admin=${v}`),
      fc.constantFrom('__Host-padlock_admin=s:forged.sig', '__proto__=1', 'a=b; a=c'),
    ),
    'X-CSRF-Token': headerValue,
    Accept: fc.constantFrom('text/html', 'application/json', '*/*', 'image/png', ''),
    'Stripe-Signature': fc.oneof(
      headerValue,
      fc
        .tuple(
          fc.integer({ min: 0, max: 2 ** 31 }),
          fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 }),
        )
        .map(([t, sig]) => `t=${t},v1=${sig}`),
    ),
    'If-None-Match': headerValue,
    'User-Agent': headerValue,
  },
  { requiredKeys: [] },
);

/** What a response body must never show: a stack frame, a source path, the project's folders. */
export const INTERNAL_LEAKS: readonly RegExp[] = [
  /\bat [\w$.<>]+ \(/,
  /\n\s+at /,
  /\/work\//,
  /node_modules/,
  /\.ts:\d/,
  /\bat \/\S+\.js:\d/,
];

/** The leak patterns found in a body that the request itself did not carry (an echoed input is no leak). */
export function internalLeaks(body: string, sent: string): string[] {
  return INTERNAL_LEAKS.filter((p) => p.test(body) && !p.test(sent)).map(String);
}

/** A response read from a raw socket. */
export interface RawResponse {
  readonly status: number;
  readonly head: string;
  readonly body: string;
}

/**
 * Sends bytes as they are over TLS (a header with CR or LF, a request line no HTTP client would
 * write) and reads the answer until the server closes. Gives up after `timeoutMs`.
 */
export function rawHttpsRequest(port: number, ca: string, bytes: string, timeoutMs = 5000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, ca });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(new Error(`no complete answer within ${timeoutMs} ms`)), timeoutMs);
    socket.on('secureConnect', () => socket.write(Buffer.from(bytes, 'latin1')));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (err: Error) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      const split = text.indexOf('\r\n\r\n');
      const head = split < 0 ? text : text.slice(0, split);
      resolve({ status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0), head, body: split < 0 ? '' : text.slice(split + 4) });
    });
  });
}
