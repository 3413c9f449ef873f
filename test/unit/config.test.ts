import path from 'node:path';
import { ConfigError, loadConfig, withListeningPorts } from '../../server/config';

const DATA_DIR = path.resolve('/tmp/padlock-config-test');

/** Runs loadConfig and returns the ConfigError it throws (fails the test if it does not throw one). */
function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

const PRODUCTION_OK = {
  NODE_ENV: 'production',
  PUBLIC_URL: 'https://shop.example.com',
  TLS_CERT_FILE: '/etc/padlock/cert.pem',
  TLS_KEY_FILE: '/etc/padlock/key.pem',
  DATABASE_URL: 'mysql://padlock:secret@db.internal:3306/padlock',
  STRIPE_SECRET_KEY: 'sk_live_51HqLyjWDarjtT1zdp7dcN4kq9R2Vf8Ya',
  STRIPE_WEBHOOK_SECRET: 'whsec_7pQm2LxZ9vT4kR8nB3cW6yH1dF5gJ0sA',
  BRAINTREE_ENVIRONMENT: 'production',
  BRAINTREE_MERCHANT_ID: 'merchant1',
  BRAINTREE_PUBLIC_KEY: 'public1',
  BRAINTREE_PRIVATE_KEY: '5f1d8296e0007007cb8630b0332f7077',
  SMTP_URL: 'smtps://mailer:secret@smtp.example.com:465',
  MAIL_FROM: 'Example Shop <shop@example.com>',
  SECRETS_KEY: 'wXrkNgozF8db7dgu6elndVyMBlsLLcCwBd/wwozbErY=',
};

describe('loadConfig: development defaults', () => {
  const config = loadConfig({ DATA_DIR });

  it('listens on 8080 (redirect) and 8443 (TLS) and serves https://localhost:8443', () => {
    expect(config.env).toBe('development');
    expect(config.port).toBe(8080);
    expect(config.httpsPort).toBe(8443);
    expect(config.publicUrl).toBe('https://localhost:8443');
  });

  it('keeps a SQLite file and a generated certificate under DATA_DIR', () => {
    expect(config.dataDir).toBe(DATA_DIR);
    expect(config.database).toEqual({ kind: 'sqlite', file: path.join(DATA_DIR, 'store.sqlite') });
    expect(config.tls).toEqual({ kind: 'generated', dir: DATA_DIR });
  });

  it('flags address-check mismatches, seeds the demo catalog and sells in USD', () => {
    expect(config.avsPolicy).toBe('flag');
    expect(config.seedDemoCatalog).toBe(true);
    expect(config.currency).toBe('USD');
    expect(config.trustProxy).toBe(false);
  });

  it('allows embedding from localhost on any port', () => {
    expect(config.embedOrigins).toEqual(expect.arrayContaining(['http://localhost:*', 'https://localhost:*']));
  });

  it('is frozen', () => {
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.embedOrigins)).toBe(true);
    expect(() => {
      (config as { port: number }).port = 1;
    }).toThrow(TypeError);
  });

  it('follows HTTPS_PORT in the default public URL', () => {
    expect(loadConfig({ DATA_DIR, HTTPS_PORT: '9443' }).publicUrl).toBe('https://localhost:9443');
  });
});

describe('port 0: listeners on ports the system picks', () => {
  it('accepts PORT=0 and HTTPS_PORT=0', () => {
    const config = loadConfig({ DATA_DIR, PORT: '0', HTTPS_PORT: '0' });
    expect(config.port).toBe(0);
    expect(config.httpsPort).toBe(0);
  });

  it('once listening, names the real ports, and the real HTTPS port in the default public URL', () => {
    const listening = withListeningPorts(loadConfig({ DATA_DIR, PORT: '0', HTTPS_PORT: '0' }), { port: 41001, httpsPort: 41002 });
    expect(listening).toMatchObject({ port: 41001, httpsPort: 41002, publicUrl: 'https://localhost:41002' });
    expect(Object.isFrozen(listening)).toBe(true);
  });

  it('keeps a PUBLIC_URL that was set', () => {
    const config = loadConfig({ DATA_DIR, PORT: '0', HTTPS_PORT: '0', PUBLIC_URL: 'https://shop.example.com' });
    expect(withListeningPorts(config, { port: 41001, httpsPort: 41002 }).publicUrl).toBe('https://shop.example.com');
  });

  it('keeps HTTPS_PORT and PUBLIC_URL when there is no TLS listener (TRUST_PROXY)', () => {
    const config = loadConfig({ DATA_DIR, PORT: '0', TRUST_PROXY: 'loopback', PUBLIC_URL: 'https://shop.example.com' });
    expect(withListeningPorts(config, { port: 41001, httpsPort: null })).toMatchObject({
      port: 41001,
      httpsPort: 8443,
      publicUrl: 'https://shop.example.com',
    });
  });

  it('requires PUBLIC_URL with TRUST_PROXY and HTTPS_PORT=0: no TLS listener could name its port', () => {
    const err = configError({ DATA_DIR, HTTPS_PORT: '0', TRUST_PROXY: 'loopback' });
    expect(err.problems).toEqual([expect.stringContaining('PUBLIC_URL is required with TRUST_PROXY when HTTPS_PORT is 0')]);
  });
});

describe('loadConfig: PUBLIC_URL', () => {
  it('must be https', () => {
    const err = configError({ PUBLIC_URL: 'http://shop.example.com' });
    expect(err.message).toContain('PUBLIC_URL');
    expect(err.problems.some((p) => p.includes('PUBLIC_URL'))).toBe(true);
  });

  it('loses a trailing slash', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://shop.example.com/' }).publicUrl).toBe('https://shop.example.com');
  });

  it('must be an origin without a path', () => {
    expect(configError({ PUBLIC_URL: 'https://shop.example.com/store' }).message).toContain('PUBLIC_URL');
  });
});

describe('loadConfig: production', () => {
  it('reports every missing production setting in one error', () => {
    const err = configError({ NODE_ENV: 'production' });
    expect(err.problems.length).toBeGreaterThanOrEqual(3);
    expect(err.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/PUBLIC_URL is required/),
        expect.stringMatching(/TLS_CERT_FILE and TLS_KEY_FILE are required/),
        expect.stringMatching(/DATABASE_URL must point to MySQL/),
        expect.stringMatching(/SMTP_URL is required in production/),
        expect.stringMatching(/MAIL_FROM is required in production/),
      ]),
    );
    expect(err.message).toContain('PUBLIC_URL');
    expect(err.message).toContain('TLS_CERT_FILE');
    expect(err.message).toContain('DATABASE_URL');
  });

  it('accepts a complete production environment', () => {
    const config = loadConfig(PRODUCTION_OK);
    expect(config.env).toBe('production');
    expect(config.publicUrl).toBe('https://shop.example.com');
    expect(config.tls).toEqual({
      kind: 'files',
      certFile: path.resolve('/etc/padlock/cert.pem'),
      keyFile: path.resolve('/etc/padlock/key.pem'),
    });
    expect(config.database).toEqual({ kind: 'mysql', url: 'mysql://padlock:secret@db.internal:3306/padlock' });
    expect(config.seedDemoCatalog).toBe(false);
    expect(config.embedOrigins).toEqual([]);
  });

  it('keeps SQLite when ALLOW_SQLITE_IN_PRODUCTION=true', () => {
    const { DATABASE_URL: _unused, ...withoutDatabase } = PRODUCTION_OK;
    const config = loadConfig({ ...withoutDatabase, DATA_DIR, ALLOW_SQLITE_IN_PRODUCTION: 'true' });
    expect(config.database).toEqual({ kind: 'sqlite', file: path.join(DATA_DIR, 'store.sqlite') });
  });

  it('refuses SQLite without ALLOW_SQLITE_IN_PRODUCTION', () => {
    const err = configError({ ...PRODUCTION_OK, DATABASE_URL: 'sqlite:/var/lib/padlock/store.sqlite' });
    expect(err.problems).toEqual([expect.stringMatching(/DATABASE_URL must point to MySQL/)]);
  });

  it('does not need certificate files behind a TLS-terminating proxy', () => {
    const { TLS_CERT_FILE: _c, TLS_KEY_FILE: _k, ...withoutTls } = PRODUCTION_OK;
    expect(loadConfig({ ...withoutTls, TRUST_PROXY: 'loopback' }).trustProxy).toBe('loopback');
  });

  it('refuses the demo catalog', () => {
    expect(configError({ ...PRODUCTION_OK, SEED_DEMO_CATALOG: 'true' }).message).toContain('SEED_DEMO_CATALOG');
  });
});

describe('loadConfig: validation', () => {
  it('refuses TLS_CERT_FILE without TLS_KEY_FILE', () => {
    const err = configError({ TLS_CERT_FILE: '/etc/padlock/cert.pem' });
    expect(err.message).toMatch(/TLS_CERT_FILE must be set together with TLS_KEY_FILE/);
  });

  it('reports an invalid PORT and an invalid AVS_POLICY together', () => {
    const err = configError({ PORT: 'abc', AVS_POLICY: 'sometimes' });
    expect(err.problems).toHaveLength(2);
    expect(err.problems).toEqual(expect.arrayContaining([expect.stringContaining('PORT'), expect.stringContaining('AVS_POLICY')]));
  });

  it('refuses an unknown STORE_CURRENCY', () => {
    expect(configError({ STORE_CURRENCY: 'XYZ' }).message).toContain('STORE_CURRENCY');
  });

  it('accepts a known STORE_CURRENCY in lower case', () => {
    expect(loadConfig({ STORE_CURRENCY: 'jpy' }).currency).toBe('JPY');
  });

  it('normalises a mariadb:// DATABASE_URL to mysql://', () => {
    expect(loadConfig({ DATABASE_URL: 'mariadb://u:p@db:3306/store' }).database).toEqual({
      kind: 'mysql',
      url: 'mysql://u:p@db:3306/store',
    });
  });

  it('reads a sqlite: DATABASE_URL as a file path', () => {
    expect(loadConfig({ DATABASE_URL: 'sqlite:/tmp/x.sqlite' }).database).toEqual({
      kind: 'sqlite',
      file: path.resolve('/tmp/x.sqlite'),
    });
  });

  it('refuses a DATABASE_URL of another kind', () => {
    expect(configError({ DATABASE_URL: 'postgres://u:p@db/store' }).message).toContain('DATABASE_URL');
  });
});

describe('loadConfig: EMBED_ORIGINS', () => {
  it('splits a comma-separated list, ignoring blanks and spaces', () => {
    const config = loadConfig({ EMBED_ORIGINS: 'https://blog.example.com, http://localhost:*,,https://cms.example.org:8443' });
    expect(config.embedOrigins).toEqual(['https://blog.example.com', 'http://localhost:*', 'https://cms.example.org:8443']);
  });

  it('trims a trailing slash from an entry', () => {
    // Written the way origins are often copied from the address bar.
    const config = loadConfig({ EMBED_ORIGINS: 'https://blog.example/,https://cms.example.org' });
    expect(config.embedOrigins).toEqual(['https://blog.example', 'https://cms.example.org']);
  });

  it.each(['ftp://x', 'https://blog.example/path', 'blog.example', 'https://blog.example?x=1'])('refuses the entry %s', (entry) => {
    const err = configError({ EMBED_ORIGINS: `https://ok.example,${entry}` });
    expect(err.problems).toEqual([expect.stringContaining(entry)]);
  });

  it('can be emptied explicitly', () => {
    expect(loadConfig({ EMBED_ORIGINS: '' }).embedOrigins).toEqual([]);
  });
});

describe('loadConfig: TRUST_PROXY', () => {
  it.each([
    ['off', false],
    ['false', false],
    ['0', false],
    ['true', true],
    ['on', true],
    ['2', 2],
    ['loopback', 'loopback'],
    ['10.0.0.0/8, 127.0.0.1', '10.0.0.0/8, 127.0.0.1'],
  ])('%s → %p', (raw, expected) => {
    expect(loadConfig({ TRUST_PROXY: raw }).trustProxy).toBe(expected);
  });
});

describe('loadConfig: payment gateways', () => {
  it('runs both gateways against the local sandbox without credentials, with a generated webhook secret', () => {
    const config = loadConfig({});
    expect(config.gateways).toEqual(['stripe', 'braintree']);
    expect(config.stripe.sandbox).toBe(true);
    expect(config.stripe.webhookSecret).toMatch(/^whsec_/);
    expect(loadConfig({}).stripe.webhookSecret).not.toBe(config.stripe.webhookSecret);
    expect(config.braintree.environment).toBe('local');
  });

  it('lets tests fix the sandbox webhook secret', () => {
    expect(loadConfig({ STRIPE_WEBHOOK_SECRET: 'whsec_test123' }).stripe).toMatchObject({ sandbox: true, webhookSecret: 'whsec_test123' });
  });

  it('uses real credentials when given, and needs the webhook secret with a Stripe key', () => {
    expect(loadConfig({ STRIPE_SECRET_KEY: 'sk_test_abc', STRIPE_WEBHOOK_SECRET: 'whsec_x' }).stripe).toEqual({
      sandbox: false,
      secretKey: 'sk_test_abc',
      webhookSecret: 'whsec_x',
    });
    expect(() => loadConfig({ STRIPE_SECRET_KEY: 'sk_test_abc' })).toThrow(/STRIPE_WEBHOOK_SECRET is required/);
    expect(() => loadConfig({ STRIPE_SECRET_KEY: 'pk_test_abc', STRIPE_WEBHOOK_SECRET: 'whsec_x' })).toThrow(/must be a Stripe secret key/);
  });

  it('needs all three Braintree credentials together', () => {
    expect(() => loadConfig({ BRAINTREE_MERCHANT_ID: 'm' })).toThrow(/BRAINTREE_MERCHANT_ID must be set together with/);
    expect(loadConfig({ BRAINTREE_MERCHANT_ID: 'm', BRAINTREE_PUBLIC_KEY: 'p', BRAINTREE_PRIVATE_KEY: 'k' }).braintree).toEqual({
      environment: 'sandbox',
      merchantId: 'm',
      publicKey: 'p',
      privateKey: 'k',
    });
  });

  it('refuses the sandbox gateways in production, but a store may offer only the gateway it has keys for', () => {
    const {
      BRAINTREE_ENVIRONMENT: _e,
      BRAINTREE_MERCHANT_ID: _m,
      BRAINTREE_PUBLIC_KEY: _p,
      BRAINTREE_PRIVATE_KEY: _k,
      ...stripeOnly
    } = PRODUCTION_OK;
    expect(configError(stripeOnly).message).toMatch(
      /BRAINTREE_MERCHANT_ID, BRAINTREE_PUBLIC_KEY and BRAINTREE_PRIVATE_KEY are required in production/,
    );
    expect(loadConfig({ ...stripeOnly, PAYMENT_GATEWAYS: 'stripe' }).gateways).toEqual(['stripe']);
    const { STRIPE_SECRET_KEY: _s, STRIPE_WEBHOOK_SECRET: _w, ...braintreeOnly } = PRODUCTION_OK;
    expect(configError(braintreeOnly).message).toMatch(/STRIPE_SECRET_KEY is required in production/);
  });

  it('refuses unknown gateways', () => {
    expect(() => loadConfig({ PAYMENT_GATEWAYS: 'stripe,paypal' })).toThrow(/PAYMENT_GATEWAYS must be/);
  });
});

describe('loadConfig: order e-mails', () => {
  it('writes .eml files under DATA_DIR/mail by default, from the store, every 10 seconds', () => {
    expect(loadConfig({ DATA_DIR }).mail).toEqual({
      transport: { kind: 'files', dir: path.join(DATA_DIR, 'mail') },
      from: { name: 'Padlock Store', address: 'store@localhost' },
      intervalSeconds: 10,
    });
  });

  it('sends over SMTP_URL (smtp:// or smtps://, credentials in the URL) from MAIL_FROM', () => {
    const mail = loadConfig({
      SMTP_URL: 'smtps://mailer:p%40ss@smtp.example.com:465',
      MAIL_FROM: '"Example Shop, Ltd" <shop@example.com>',
      MAIL_INTERVAL_SECONDS: '30',
    }).mail;
    expect(mail).toEqual({
      transport: { kind: 'smtp', url: 'smtps://mailer:p%40ss@smtp.example.com:465' },
      from: { name: 'Example Shop, Ltd', address: 'shop@example.com' },
      intervalSeconds: 30,
    });
    expect(loadConfig({ SMTP_URL: 'smtp://smtp.example.com:587', MAIL_FROM: 'shop@example.com' }).mail).toMatchObject({
      transport: { kind: 'smtp', url: 'smtp://smtp.example.com:587' },
      from: { name: null, address: 'shop@example.com' },
    });
  });

  it('reports a bad SMTP_URL, MAIL_FROM and MAIL_INTERVAL_SECONDS together', () => {
    const err = configError({ SMTP_URL: 'https://smtp.example.com', MAIL_FROM: 'Example Shop', MAIL_INTERVAL_SECONDS: '0' });
    expect(err.problems).toHaveLength(3);
    expect(err.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^SMTP_URL must be an smtp:\/\/ or smtps:\/\/ URL/),
        expect.stringMatching(/^MAIL_FROM must be an e-mail address/),
        expect.stringContaining('MAIL_INTERVAL_SECONDS'),
      ]),
    );
  });

  it.each(['shop', 'Shop <shop>', 'shop@example.com\r\nBcc: everyone@example.com', 'Shop <a@example.com> <b@example.com>'])(
    'refuses MAIL_FROM %p',
    (from) => {
      expect(configError({ MAIL_FROM: from }).problems).toEqual([expect.stringMatching(/^MAIL_FROM must be an e-mail address/)]);
    },
  );

  it('production refuses the .eml default and needs a sender', () => {
    const { SMTP_URL: _u, MAIL_FROM: _f, ...withoutMail } = PRODUCTION_OK;
    expect(configError(withoutMail).problems).toEqual([
      expect.stringMatching(/^SMTP_URL is required in production/),
      expect.stringMatching(/^MAIL_FROM is required in production/),
    ]);
    expect(loadConfig(PRODUCTION_OK).mail.transport).toEqual({ kind: 'smtp', url: PRODUCTION_OK.SMTP_URL });
  });

  it('never puts the SMTP password in an error message', () => {
    const err = configError({ SMTP_URL: 'ftp://mailer:hunter2@smtp.example.com' });
    expect(err.message).not.toContain('hunter2');
  });
});

describe('loadConfig: admin sessions', () => {
  it('end 12 hours after login by default, in production too', () => {
    expect(loadConfig({ DATA_DIR }).adminSessionMaxHours).toBe(12);
    expect(loadConfig(PRODUCTION_OK).adminSessionMaxHours).toBe(12);
  });

  it('ADMIN_SESSION_MAX_HOURS sets the absolute lifetime in whole hours, from 1 to 168', () => {
    expect(loadConfig({ DATA_DIR, ADMIN_SESSION_MAX_HOURS: '1' }).adminSessionMaxHours).toBe(1);
    expect(loadConfig({ DATA_DIR, ADMIN_SESSION_MAX_HOURS: '168' }).adminSessionMaxHours).toBe(168);
  });

  it.each(['0', '169', '1.5', 'twelve', ''])('refuses ADMIN_SESSION_MAX_HOURS=%p, alongside every other problem', (hours) => {
    const err = configError({ ADMIN_SESSION_MAX_HOURS: hours, MAIL_INTERVAL_SECONDS: '0' });
    expect(err.problems).toHaveLength(2);
    expect(err.problems).toEqual(
      expect.arrayContaining([expect.stringContaining('ADMIN_SESSION_MAX_HOURS'), expect.stringContaining('MAIL_INTERVAL_SECONDS')]),
    );
  });

  it('RATE_LIMIT_FACTOR multiplies the rate limits: 1 by default, any number above 0', () => {
    expect(loadConfig({ DATA_DIR }).rateLimitFactor).toBe(1);
    expect(loadConfig({ DATA_DIR, RATE_LIMIT_FACTOR: '0.5' }).rateLimitFactor).toBe(0.5);
    expect(loadConfig({ DATA_DIR, RATE_LIMIT_FACTOR: '1000' }).rateLimitFactor).toBe(1000);
    expect(loadConfig({ ...PRODUCTION_OK, DATA_DIR, RATE_LIMIT_FACTOR: '100' }).rateLimitFactor).toBe(100);
  });

  it.each(['0', '-1', 'many', '', '10001'])('refuses RATE_LIMIT_FACTOR=%p, alongside every other problem', (factor) => {
    const err = configError({ RATE_LIMIT_FACTOR: factor, MAIL_INTERVAL_SECONDS: '0' });
    expect(err.problems).toHaveLength(2);
    expect(err.problems).toEqual(
      expect.arrayContaining([expect.stringContaining('RATE_LIMIT_FACTOR'), expect.stringContaining('MAIL_INTERVAL_SECONDS')]),
    );
  });

  it('refuses in production a RATE_LIMIT_FACTOR above 100, which would no longer stop abuse', () => {
    const err = configError({ ...PRODUCTION_OK, DATA_DIR, RATE_LIMIT_FACTOR: '101' });
    expect(err.problems).toEqual(['RATE_LIMIT_FACTOR may be at most 100 in production (higher limits no longer stop abuse)']);
  });
});

describe('loadConfig: listener timeouts', () => {
  it('cut off slow clients after 20 s for headers and 60 s for a request, and keep idle connections 5 s, in production too', () => {
    const expected = { headersSeconds: 20, requestSeconds: 60, keepAliveSeconds: 5 };
    expect(loadConfig({ DATA_DIR }).listenerTimeouts).toEqual(expected);
    expect(loadConfig(PRODUCTION_OK).listenerTimeouts).toEqual(expected);
  });

  it('are set in whole seconds', () => {
    const config = loadConfig({ DATA_DIR, HEADERS_TIMEOUT_SECONDS: '1', REQUEST_TIMEOUT_SECONDS: '600', KEEP_ALIVE_TIMEOUT_SECONDS: '65' });
    expect(config.listenerTimeouts).toEqual({ headersSeconds: 1, requestSeconds: 600, keepAliveSeconds: 65 });
  });

  it.each([
    ['HEADERS_TIMEOUT_SECONDS', '0'],
    ['HEADERS_TIMEOUT_SECONDS', '121'],
    ['REQUEST_TIMEOUT_SECONDS', '601'],
    ['REQUEST_TIMEOUT_SECONDS', '2.5'],
    ['KEEP_ALIVE_TIMEOUT_SECONDS', '0'],
    ['KEEP_ALIVE_TIMEOUT_SECONDS', 'never'],
  ])('refuses %s=%p, alongside every other problem', (name, value) => {
    const err = configError({ [name]: value, MAIL_INTERVAL_SECONDS: '0' });
    expect(err.problems).toHaveLength(2);
    expect(err.problems).toEqual(expect.arrayContaining([expect.stringContaining(name), expect.stringContaining('MAIL_INTERVAL_SECONDS')]));
  });

  it('refuses a request timeout shorter than the headers timeout', () => {
    const err = configError({ HEADERS_TIMEOUT_SECONDS: '30', REQUEST_TIMEOUT_SECONDS: '10' });
    expect(err.problems).toEqual(['REQUEST_TIMEOUT_SECONDS must be at least HEADERS_TIMEOUT_SECONDS (a request includes its headers)']);
  });
});

describe('loadConfig: SECRETS_KEY', () => {
  const OLD_KEY = '86bEG6h4r9DRlJucrbDjq3dYN6HLD94myikZH4QnOJI=';
  const HEX_KEY = '8ecef0ec3649ccdc88208001acf295c676b7578e369b28108c9f8a786e01a8f5';

  it('outside production, defaults to a key generated into DATA_DIR', () => {
    expect(loadConfig({ DATA_DIR }).secrets).toEqual({ kind: 'generated', file: path.join(DATA_DIR, 'secrets.key') });
  });

  it('is required in production, saying how to make one', () => {
    const { SECRETS_KEY: _k, ...withoutKey } = PRODUCTION_OK;
    expect(configError(withoutKey).problems).toEqual([
      expect.stringMatching(/^SECRETS_KEY is required in production.*openssl rand -base64 32/),
    ]);
  });

  it('takes base64 or hex of 32 bytes or more, the current key first, then SECRETS_KEY_PREVIOUS', () => {
    const config = loadConfig({ ...PRODUCTION_OK, SECRETS_KEY_PREVIOUS: ` ${OLD_KEY} , ${HEX_KEY}` });
    expect(config.secrets).toEqual({
      kind: 'configured',
      keys: [PRODUCTION_OK.SECRETS_KEY, OLD_KEY, Buffer.from(HEX_KEY, 'hex').toString('base64')],
    });
    const urlSafe = Buffer.from(OLD_KEY, 'base64').toString('base64url');
    expect(loadConfig({ DATA_DIR, SECRETS_KEY: urlSafe }).secrets).toEqual({ kind: 'configured', keys: [OLD_KEY] });
  });

  it.each([
    ['short', 'q83vEjRWeJq83vEjRWeJq83vEjRW', /SECRETS_KEY is 21 bytes long; it must be at least 32/],
    ['not base64 or hex', 'this is my key, there are many like it!!', /SECRETS_KEY must be base64 or hex/],
    ['a placeholder', 'changeme-changeme-changeme-changeme-changeme', /SECRETS_KEY looks like a placeholder/],
    [
      'readable text in base64',
      Buffer.from('Our shop key for 2026, keep it well hidden!').toString('base64'),
      /SECRETS_KEY is readable text/,
    ],
    ['uniform', 'A'.repeat(44), /SECRETS_KEY repeats too few different bytes/],
    ['a short pattern', '0123456789abcdef'.repeat(4), /repeats too few different bytes/],
  ])('refuses a key that is %s, in development as in production', (_what, key, message) => {
    expect(configError({ DATA_DIR, SECRETS_KEY: key }).problems).toEqual([expect.stringMatching(message)]);
    expect(configError({ ...PRODUCTION_OK, SECRETS_KEY: key }).problems).toEqual([expect.stringMatching(message)]);
  });

  it('checks every previous key too, and refuses repeats or previous keys without a current one', () => {
    expect(configError({ DATA_DIR, SECRETS_KEY: OLD_KEY, SECRETS_KEY_PREVIOUS: `${HEX_KEY},short` }).problems).toEqual([
      expect.stringMatching(/^SECRETS_KEY_PREVIOUS entry 2 is 3 bytes long/),
    ]);
    expect(configError({ DATA_DIR, SECRETS_KEY: OLD_KEY, SECRETS_KEY_PREVIOUS: OLD_KEY }).problems).toEqual([
      expect.stringMatching(/SECRETS_KEY_PREVIOUS repeats a key/),
    ]);
    expect(configError({ DATA_DIR, SECRETS_KEY_PREVIOUS: OLD_KEY }).problems).toEqual([
      expect.stringMatching(/SECRETS_KEY_PREVIOUS is set without SECRETS_KEY/),
    ]);
  });

  it('never repeats a key in its messages', () => {
    const weak = `${'ab'.repeat(20)}${'cd'.repeat(20)}`;
    const err = configError({ DATA_DIR, SECRETS_KEY: weak, SECRETS_KEY_PREVIOUS: 'not-a-key-at-all-but-secretish' });
    expect(err.problems).toHaveLength(2);
    expect(err.message).not.toContain(weak);
    expect(err.message).not.toContain('not-a-key-at-all');
  });
});

describe('loadConfig: production refuses weak secrets and test gateways', () => {
  const problemsOf = (env: Record<string, string>): string[] => configError({ ...PRODUCTION_OK, ...env }).problems as string[];

  it('refuses a Stripe test-mode key unless ALLOW_TEST_PAYMENTS_IN_PRODUCTION says this is a staging store', () => {
    const testKey = 'sk_test_51HqLyjWDarjtT1zdp7dcN4kq9R2Vf8Ya';
    expect(problemsOf({ STRIPE_SECRET_KEY: testKey })).toEqual([
      expect.stringMatching(/^STRIPE_SECRET_KEY is a test-mode key \(sk_test_…\) in production: test payments would mark real orders paid/),
    ]);
    expect(loadConfig({ ...PRODUCTION_OK, STRIPE_SECRET_KEY: testKey, ALLOW_TEST_PAYMENTS_IN_PRODUCTION: 'true' }).stripe.secretKey).toBe(
      testKey,
    );
  });

  it('refuses the Braintree sandbox (its default environment) unless ALLOW_TEST_PAYMENTS_IN_PRODUCTION', () => {
    const { BRAINTREE_ENVIRONMENT: _e, ...defaulted } = PRODUCTION_OK;
    expect(configError(defaulted).problems).toEqual([
      expect.stringMatching(/^BRAINTREE_ENVIRONMENT is sandbox \(its default\) in production/),
    ]);
    expect(problemsOf({ BRAINTREE_ENVIRONMENT: 'sandbox' })).toHaveLength(1);
    expect(loadConfig({ ...defaulted, ALLOW_TEST_PAYMENTS_IN_PRODUCTION: 'true' }).braintree.environment).toBe('sandbox');
    // Not offered, not checked.
    expect(loadConfig({ ...defaulted, PAYMENT_GATEWAYS: 'stripe' }).gateways).toEqual(['stripe']);
  });

  it.each([
    ['STRIPE_SECRET_KEY', 'sk_live_abc123', /^STRIPE_SECRET_KEY is too short to be a real one/],
    ['STRIPE_SECRET_KEY', 'sk_live_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', /^STRIPE_SECRET_KEY looks like a placeholder/],
    ['STRIPE_WEBHOOK_SECRET', 'whsec_abc123', /^STRIPE_WEBHOOK_SECRET is too short to be a real one/],
    ['STRIPE_WEBHOOK_SECRET', 'whsec_your_webhook_signing_secret_here', /^STRIPE_WEBHOOK_SECRET looks like a placeholder/],
    ['BRAINTREE_PRIVATE_KEY', 'private1', /^BRAINTREE_PRIVATE_KEY is too short to be a real one/],
    ['BRAINTREE_PRIVATE_KEY', 'changeme_changeme_changeme_changeme', /^BRAINTREE_PRIVATE_KEY looks like a placeholder/],
  ])('refuses %s=%s as too weak, without repeating it', (name, value, message) => {
    const problems = problemsOf({ [name]: value });
    expect(problems).toEqual([expect.stringMatching(message)]);
    expect(problems[0]).not.toContain(value);
  });

  it('accepts the same weak gateway values in development (the test beds use short ones)', () => {
    expect(() => loadConfig({ DATA_DIR, STRIPE_SECRET_KEY: 'sk_test_abc123', STRIPE_WEBHOOK_SECRET: 'whsec_abc123' })).not.toThrow();
  });

  it('refuses an SMTP password sent over plain smtp:// to another host, unless STARTTLS is required', () => {
    expect(problemsOf({ SMTP_URL: 'smtp://mailer:hunter2@smtp.example.com:587' })).toEqual([
      expect.stringMatching(
        /^SMTP_URL sends a password to smtp.example.com over plain smtp:\/\/ in production.*smtps:\/\/.*requireTLS=true/,
      ),
    ]);
    expect(problemsOf({ SMTP_URL: 'smtp://mailer:hunter2@smtp.example.com:587' })[0]).not.toContain('hunter2');
    for (const ok of [
      'smtp://mailer:hunter2@smtp.example.com:587?requireTLS=true',
      'smtp://smtp.example.com:25',
      'smtp://mailer:hunter2@localhost:25',
      'smtp://mailer:hunter2@127.0.0.1:1025',
      'smtps://mailer:hunter2@smtp.example.com:465',
    ])
      expect(loadConfig({ ...PRODUCTION_OK, SMTP_URL: ok }).mail.transport).toEqual({ kind: 'smtp', url: ok });
  });

  it('lists every weak secret at once', () => {
    const { BRAINTREE_ENVIRONMENT: _e, SECRETS_KEY: _k, ...rest } = PRODUCTION_OK;
    const err = configError({
      ...rest,
      STRIPE_SECRET_KEY: 'sk_test_abc',
      STRIPE_WEBHOOK_SECRET: 'whsec_1',
      SMTP_URL: 'smtp://u:p@mail.example.com',
    });
    expect(err.problems.map((p) => p.split(' ')[0])).toEqual([
      'SECRETS_KEY',
      'STRIPE_SECRET_KEY',
      'STRIPE_SECRET_KEY',
      'STRIPE_WEBHOOK_SECRET',
      'BRAINTREE_ENVIRONMENT',
      'SMTP_URL',
    ]);
  });
});

describe('loadConfig: shutdown grace and fault injection', () => {
  it('gives in-flight requests 10 s on SIGTERM by default, 1 to 600 s when set', () => {
    expect(loadConfig({ DATA_DIR }).shutdownGraceSeconds).toBe(10);
    expect(loadConfig({ DATA_DIR, SHUTDOWN_GRACE_SECONDS: '30' }).shutdownGraceSeconds).toBe(30);
    for (const bad of ['0', '601', 'soon']) {
      expect(configError({ DATA_DIR, SHUTDOWN_GRACE_SECONDS: bad }).problems).toEqual([expect.stringContaining('SHUTDOWN_GRACE_SECONDS')]);
    }
  });

  it('arms no fault by default, and the named ones when FAULT_INJECTION lists them', () => {
    expect(loadConfig({ DATA_DIR }).faultInjection).toEqual([]);
    expect(loadConfig({ DATA_DIR, FAULT_INJECTION: '' }).faultInjection).toEqual([]);
    expect(loadConfig({ DATA_DIR, FAULT_INJECTION: 'crash-after-gateway-accept' }).faultInjection).toEqual(['crash-after-gateway-accept']);
    expect(loadConfig({ DATA_DIR, FAULT_INJECTION: ' crash-before-callback-commit , crash-after-gateway-accept' }).faultInjection).toEqual([
      'crash-before-callback-commit',
      'crash-after-gateway-accept',
    ]);
  });

  it('refuses a fault it does not know, naming the ones it does', () => {
    expect(configError({ DATA_DIR, FAULT_INJECTION: 'crash-everything' }).problems).toEqual([
      'FAULT_INJECTION must be a comma-separated list of crash-after-gateway-accept, crash-before-callback-commit',
    ]);
  });

  it('refuses FAULT_INJECTION in production', () => {
    expect(configError({ ...PRODUCTION_OK, DATA_DIR, FAULT_INJECTION: 'crash-after-gateway-accept' }).problems).toEqual([
      'FAULT_INJECTION is for the fault tests only and cannot be set in production (it makes the store crash on purpose)',
    ]);
  });
});
