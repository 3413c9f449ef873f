import { randomBytes } from 'node:crypto';
import path from 'node:path';
import Joi from 'joi';
import { isKnownCurrency } from './money';

/** How the store reaches its database. */
export type DatabaseConfig = { readonly kind: 'sqlite'; readonly file: string } | { readonly kind: 'mysql'; readonly url: string };

/** Where the TLS certificate comes from. */
export type TlsConfig =
  { readonly kind: 'files'; readonly certFile: string; readonly keyFile: string } | { readonly kind: 'generated'; readonly dir: string };

export type GatewayName = 'stripe' | 'braintree';

/**
 * Stripe credentials. `sandbox: true` means no key was configured: the store runs its local
 * stand-in, which speaks Stripe's wire protocol, with these test values.
 */
export interface StripeConfig {
  readonly sandbox: boolean;
  readonly secretKey: string;
  readonly webhookSecret: string;
}

/**
 * Braintree credentials. `environment` is Braintree's own (`sandbox` test accounts or
 * `production`), or `local` for the store's stand-in when no credentials were configured.
 */
export interface BraintreeConfig {
  readonly environment: 'local' | 'sandbox' | 'production';
  readonly merchantId: string;
  readonly publicKey: string;
  readonly privateKey: string;
}

/** An e-mail mailbox: the address and, optionally, the name shown with it. */
export interface Mailbox {
  readonly name: string | null;
  readonly address: string;
}

/**
 * How order e-mails leave the store: over SMTP (`SMTP_URL`), or, the development default, as one
 * `.eml` file per message in `dir` (`<DATA_DIR>/mail`).
 */
export interface MailConfig {
  readonly transport: { readonly kind: 'smtp'; readonly url: string } | { readonly kind: 'files'; readonly dir: string };
  readonly from: Mailbox;
  /** Seconds between runs of the outbox worker. */
  readonly intervalSeconds: number;
}

/**
 * How long a client may take on the store's listeners (both: HTTPS and the plain HTTP one). A
 * client slower than this is cut off, so that slow senders (slow-loris) cannot hold connections.
 */
export interface ListenerTimeouts {
  /** Seconds to finish the TLS handshake, and then to send a request's headers. */
  readonly headersSeconds: number;
  /** Seconds to send a whole request, headers and body; also the longest a connection may sit without traffic in either direction. */
  readonly requestSeconds: number;
  /** Seconds an idle keep-alive connection stays open for a next request. */
  readonly keepAliveSeconds: number;
}

/**
 * Where the keys that encrypt secrets at rest come from: SECRETS_KEY (the current key first, then
 * SECRETS_KEY_PREVIOUS during a rotation; each the base64 of at least 32 bytes), or, outside
 * production, a key generated once into `file` (see db/secret-keys.ts).
 */
export type SecretsKeyConfig =
  { readonly kind: 'configured'; readonly keys: readonly string[] } | { readonly kind: 'generated'; readonly file: string };

/**
 * The whole, validated configuration of one store process. Built once at start-up by
 * {@link loadConfig}; nothing else in the server reads the environment.
 */
export interface StoreConfig {
  readonly env: 'development' | 'test' | 'production';
  /** Plain HTTP listener: redirects to HTTPS. In TRUST_PROXY mode, the only listener. 0: any free port. */
  readonly port: number;
  /** TLS listener (not used in TRUST_PROXY mode). 0: any free port. */
  readonly httpsPort: number;
  /**
   * The store's public https origin, without a trailing slash. By default
   * `https://localhost:<HTTPS_PORT>`; with HTTPS_PORT=0, {@link withListeningPorts} names the real port.
   */
  readonly publicUrl: string;
  readonly dataDir: string;
  readonly database: DatabaseConfig;
  readonly tls: TlsConfig;
  /** `false`, or the value handed to Express's `trust proxy` setting. */
  readonly trustProxy: false | true | number | string;
  /** Origins allowed to embed the store; an entry may end in `:*` for any port. */
  readonly embedOrigins: readonly string[];
  /** ISO-4217 code of the one currency the store sells in. */
  readonly currency: string;
  /** Minutes an unpaid order keeps its stock reserved. */
  readonly orderTtlMinutes: number;
  /** Seconds between sweeps that expire unpaid orders. */
  readonly expirySweepSeconds: number;
  readonly avsPolicy: 'flag' | 'hold' | 'reject';
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Seed the demo catalog into an empty database. */
  readonly seedDemoCatalog: boolean;
  /** HSTS max-age in seconds. */
  readonly hstsMaxAge: number;
  /** Gateways offered at checkout, in the order shown. */
  readonly gateways: readonly GatewayName[];
  readonly stripe: StripeConfig;
  readonly braintree: BraintreeConfig;
  /** Minutes a payment may stay unconfirmed before reconciliation asks the gateway. */
  readonly reconcileAfterMinutes: number;
  /** Seconds between reconciliation runs (one instance runs each, under a database lease). */
  readonly reconcileIntervalSeconds: number;
  readonly mail: MailConfig;
  /** Hours after login that an admin session ends, however active it is (the idle timeout ends it sooner). */
  readonly adminSessionMaxHours: number;
  readonly listenerTimeouts: ListenerTimeouts;
  /** Multiplies every rate limit (1: the documented limits; above 1 more generous, below 1 stricter). */
  readonly rateLimitFactor: number;
  /** The keys for secrets stored in the database (TOTP secrets, the session-cookie signing secret). */
  readonly secrets: SecretsKeyConfig;
  /** Seconds a SIGTERM/SIGINT leaves in-flight requests to finish before the process exits anyway. */
  readonly shutdownGraceSeconds: number;
  /** Test-only fault hooks switched on (never in production): see server/fault-injection.ts. */
  readonly faultInjection: readonly FaultName[];
  /** MySQL/MariaDB connections each store process keeps open (DATABASE_POOL_SIZE). */
  readonly databasePoolSize: number;
  /** How often a transaction that hit a deadlock (a Galera write conflict) runs again (TRANSACTION_RETRIES). */
  readonly transactionRetries: number;
  /** Milliseconds an instance trusts its last read of the catalog's version before reading it again. */
  readonly catalogCacheCheckMs: number;
}

/** The faults FAULT_INJECTION can switch on, for the fault tests. */
export const FAULT_NAMES = ['crash-after-gateway-accept', 'crash-before-callback-commit'] as const;
export type FaultName = (typeof FAULT_NAMES)[number];

/** Thrown when the environment does not describe a usable store; lists every problem. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

const DEV_EMBED_ORIGINS = ['http://localhost:*', 'https://localhost:*', 'http://127.0.0.1:*', 'https://127.0.0.1:*'];

/** Beyond this even test suites would be better off without a limit; in production the cap is lower. */
const MAX_RATE_LIMIT_FACTOR = 10_000;
const MAX_PRODUCTION_RATE_LIMIT_FACTOR = 100;

const booleanString = Joi.boolean().truthy('1', 'yes', 'on').falsy('0', 'no', 'off', '');

/** The environment variables the store reads, as joi leaves them once checked (defaults applied). */
interface EnvSettings {
  NODE_ENV: StoreConfig['env'];
  PORT: number;
  HTTPS_PORT: number;
  PUBLIC_URL?: string;
  DATA_DIR: string;
  DATABASE_URL?: string;
  ALLOW_SQLITE_IN_PRODUCTION: boolean;
  TLS_CERT_FILE?: string;
  TLS_KEY_FILE?: string;
  TRUST_PROXY: string;
  EMBED_ORIGINS?: string;
  STORE_CURRENCY: string;
  ORDER_TTL_MINUTES: number;
  EXPIRY_SWEEP_SECONDS: number;
  AVS_POLICY: StoreConfig['avsPolicy'];
  LOG_LEVEL: StoreConfig['logLevel'];
  SEED_DEMO_CATALOG?: boolean;
  HSTS_MAX_AGE: number;
  PAYMENT_GATEWAYS: string;
  STRIPE_SECRET_KEY?: string;
  STRIPE_WEBHOOK_SECRET?: string;
  BRAINTREE_ENVIRONMENT: 'sandbox' | 'production';
  BRAINTREE_MERCHANT_ID?: string;
  BRAINTREE_PUBLIC_KEY?: string;
  BRAINTREE_PRIVATE_KEY?: string;
  RECONCILE_AFTER_MINUTES: number;
  RECONCILE_INTERVAL_SECONDS: number;
  SMTP_URL?: string;
  MAIL_FROM?: Mailbox;
  MAIL_INTERVAL_SECONDS: number;
  ADMIN_SESSION_MAX_HOURS: number;
  HEADERS_TIMEOUT_SECONDS: number;
  REQUEST_TIMEOUT_SECONDS: number;
  KEEP_ALIVE_TIMEOUT_SECONDS: number;
  RATE_LIMIT_FACTOR: number;
  SECRETS_KEY?: string;
  SECRETS_KEY_PREVIOUS?: string;
  ALLOW_TEST_PAYMENTS_IN_PRODUCTION: boolean;
  SHUTDOWN_GRACE_SECONDS: number;
  FAULT_INJECTION?: string;
  DATABASE_POOL_SIZE: number;
  TRANSACTION_RETRIES: number;
  CATALOG_CACHE_CHECK_MS: number;
}

const envSchema = Joi.object<EnvSettings>({
  NODE_ENV: Joi.string().valid('development', 'test', 'production').default('development'),
  PORT: Joi.number().integer().min(0).max(65535).default(8080),
  HTTPS_PORT: Joi.number().integer().min(0).max(65535).default(8443),
  PUBLIC_URL: Joi.string()
    .uri({ scheme: ['https'] })
    .messages({
      'string.uriCustomScheme': 'PUBLIC_URL must be an https:// URL (the store always runs over HTTPS)',
    }),
  DATA_DIR: Joi.string().default('./data'),
  DATABASE_URL: Joi.string()
    .pattern(/^(sqlite:.+|mysql:\/\/.+|mariadb:\/\/.+)$/)
    .messages({
      'string.pattern.base': 'DATABASE_URL must be sqlite:<file> or mysql://user:pass@host:port/db',
    }),
  ALLOW_SQLITE_IN_PRODUCTION: booleanString.default(false),
  TLS_CERT_FILE: Joi.string(),
  TLS_KEY_FILE: Joi.string(),
  TRUST_PROXY: Joi.string().default('off'),
  EMBED_ORIGINS: Joi.string().allow(''),
  STORE_CURRENCY: Joi.string().uppercase().length(3).default('USD'),
  ORDER_TTL_MINUTES: Joi.number()
    .integer()
    .min(1)
    .max(7 * 24 * 60)
    .default(30),
  EXPIRY_SWEEP_SECONDS: Joi.number().integer().min(1).max(3600).default(60),
  AVS_POLICY: Joi.string().valid('flag', 'hold', 'reject').default('flag'),
  LOG_LEVEL: Joi.string().valid('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent').default('info'),
  SEED_DEMO_CATALOG: booleanString,
  HSTS_MAX_AGE: Joi.number().integer().min(0).default(31536000),
  PAYMENT_GATEWAYS: Joi.string()
    .pattern(/^\s*(stripe|braintree)\s*(,\s*(stripe|braintree)\s*)*$/)
    .default('stripe,braintree')
    .messages({
      'string.pattern.base': 'PAYMENT_GATEWAYS must be a comma-separated list of stripe and braintree',
    }),
  STRIPE_SECRET_KEY: Joi.string()
    .pattern(/^(sk|rk)_(test|live)_[A-Za-z0-9_]+$/)
    .messages({
      'string.pattern.base': 'STRIPE_SECRET_KEY must be a Stripe secret key (sk_test_… or sk_live_…)',
    }),
  STRIPE_WEBHOOK_SECRET: Joi.string()
    .pattern(/^whsec_[A-Za-z0-9_+/=]+$/)
    .messages({
      'string.pattern.base': 'STRIPE_WEBHOOK_SECRET must be a webhook signing secret (whsec_…)',
    }),
  BRAINTREE_ENVIRONMENT: Joi.string().valid('sandbox', 'production').default('sandbox'),
  BRAINTREE_MERCHANT_ID: Joi.string().pattern(/^[A-Za-z0-9_]+$/),
  BRAINTREE_PUBLIC_KEY: Joi.string().pattern(/^[A-Za-z0-9_]+$/),
  BRAINTREE_PRIVATE_KEY: Joi.string().pattern(/^[A-Za-z0-9_]+$/),
  RECONCILE_AFTER_MINUTES: Joi.number()
    .integer()
    .min(1)
    .max(24 * 60)
    .default(10),
  RECONCILE_INTERVAL_SECONDS: Joi.number().integer().min(5).max(3600).default(60),
  SMTP_URL: Joi.string()
    .uri({ scheme: ['smtp', 'smtps'] })
    .messages({
      'string.uri': 'SMTP_URL must be an smtp:// or smtps:// URL (smtps://user:password@host:465)',
      'string.uriCustomScheme': 'SMTP_URL must be an smtp:// or smtps:// URL (smtps://user:password@host:465)',
    }),
  MAIL_FROM: Joi.string().custom(parseMailbox).messages({
    'any.invalid': 'MAIL_FROM must be an e-mail address, optionally with a name: Shop Name <shop@example.com>',
  }),
  MAIL_INTERVAL_SECONDS: Joi.number().integer().min(1).max(3600).default(10),
  ADMIN_SESSION_MAX_HOURS: Joi.number()
    .integer()
    .min(1)
    .max(7 * 24)
    .default(12),
  HEADERS_TIMEOUT_SECONDS: Joi.number().integer().min(1).max(120).default(20),
  REQUEST_TIMEOUT_SECONDS: Joi.number().integer().min(1).max(600).default(60),
  KEEP_ALIVE_TIMEOUT_SECONDS: Joi.number().integer().min(1).max(600).default(5),
  RATE_LIMIT_FACTOR: Joi.number().greater(0).max(MAX_RATE_LIMIT_FACTOR).default(1).messages({
    'number.greater': 'RATE_LIMIT_FACTOR must be a number greater than 0 (1 keeps the documented limits)',
  }),
  // Checked for strength in loadConfig (see "Secrets" below), which can say what is wrong.
  SECRETS_KEY: Joi.string(),
  SECRETS_KEY_PREVIOUS: Joi.string().allow(''),
  ALLOW_TEST_PAYMENTS_IN_PRODUCTION: booleanString.default(false),
  SHUTDOWN_GRACE_SECONDS: Joi.number().integer().min(1).max(600).default(10),
  FAULT_INJECTION: Joi.string()
    .allow('')
    .pattern(new RegExp(`^\\s*(${FAULT_NAMES.join('|')})?\\s*(,\\s*(${FAULT_NAMES.join('|')})\\s*)*$`))
    .messages({ 'string.pattern.base': `FAULT_INJECTION must be a comma-separated list of ${FAULT_NAMES.join(', ')}` }),
  DATABASE_POOL_SIZE: Joi.number().integer().min(1).max(500).default(10),
  TRANSACTION_RETRIES: Joi.number().integer().min(0).max(20).default(5),
  // At most 1000: an admin's edit must show on every instance within a second.
  CATALOG_CACHE_CHECK_MS: Joi.number().integer().min(0).max(1000).default(250),
})
  .and('BRAINTREE_MERCHANT_ID', 'BRAINTREE_PUBLIC_KEY', 'BRAINTREE_PRIVATE_KEY')
  .and('TLS_CERT_FILE', 'TLS_KEY_FILE')
  .messages({ 'object.and': '{{#presentWithLabels}} must be set together with {{#missingWithLabels}}' })
  // The environment carries many unrelated variables; only ours are read.
  .unknown(true);

type RawEnv = Readonly<Record<string, string | undefined>>;

/**
 * Validates the environment once and returns the frozen store configuration.
 * Every problem is reported together in one {@link ConfigError}.
 *
 * @param env - the variables to read; `process.env` in the running server, a plain object in tests.
 */
export function loadConfig(env: RawEnv = process.env): StoreConfig {
  const checked: Joi.ValidationResult<EnvSettings> = envSchema.validate(env, {
    abortEarly: false,
    convert: true,
    errors: { wrap: { label: false, array: false } },
  });
  if (checked.error) throw new ConfigError(checked.error.details.map((d) => d.message));
  const value = checked.value;
  const problems: string[] = [];

  const nodeEnv = value.NODE_ENV;
  const production = nodeEnv === 'production';
  const dataDir = path.resolve(value.DATA_DIR);
  const httpsPort = value.HTTPS_PORT;

  if (!isKnownCurrency(value.STORE_CURRENCY)) {
    problems.push(`STORE_CURRENCY ${value.STORE_CURRENCY} is not a currency this store knows`);
  }

  const trustProxy = parseTrustProxy(value.TRUST_PROXY);

  const publicUrl = trimTrailingSlash(value.PUBLIC_URL ?? defaultPublicUrl(httpsPort));
  if (new URL(publicUrl).pathname !== '/') {
    problems.push('PUBLIC_URL must be an origin (https://host[:port]) without a path');
  }

  const database = parseDatabase(value.DATABASE_URL, dataDir);
  // joi has checked that the pairs and triples below come together.
  const tls: TlsConfig =
    value.TLS_CERT_FILE && value.TLS_KEY_FILE
      ? { kind: 'files', certFile: path.resolve(value.TLS_CERT_FILE), keyFile: path.resolve(value.TLS_KEY_FILE) }
      : { kind: 'generated', dir: dataDir };

  const embedOrigins =
    value.EMBED_ORIGINS === undefined ? (production ? [] : DEV_EMBED_ORIGINS) : parseOrigins(value.EMBED_ORIGINS, problems);

  if (httpsPort === 0 && trustProxy !== false && value.PUBLIC_URL === undefined) {
    problems.push('PUBLIC_URL is required with TRUST_PROXY when HTTPS_PORT is 0 (there is no TLS listener whose port it could name)');
  }

  if (production) {
    if (value.PUBLIC_URL === undefined) problems.push('PUBLIC_URL is required in production');
    if (tls.kind === 'generated' && trustProxy === false) {
      problems.push(
        'TLS_CERT_FILE and TLS_KEY_FILE are required in production (the generated certificate is for development only), unless TRUST_PROXY is set',
      );
    }
    if (database.kind === 'sqlite' && !value.ALLOW_SQLITE_IN_PRODUCTION) {
      problems.push('DATABASE_URL must point to MySQL/MariaDB in production (set ALLOW_SQLITE_IN_PRODUCTION=true to keep SQLite)');
    }
    if (value.SEED_DEMO_CATALOG === true) problems.push('SEED_DEMO_CATALOG cannot be on in production');
    if (value.SMTP_URL === undefined)
      problems.push('SMTP_URL is required in production (without it order e-mails are only written as .eml files under DATA_DIR)');
    if (value.MAIL_FROM === undefined) problems.push('MAIL_FROM is required in production (the address order e-mails are sent from)');
    if (value.FAULT_INJECTION)
      problems.push('FAULT_INJECTION is for the fault tests only and cannot be set in production (it makes the store crash on purpose)');
    if (value.RATE_LIMIT_FACTOR > MAX_PRODUCTION_RATE_LIMIT_FACTOR) {
      problems.push(
        `RATE_LIMIT_FACTOR may be at most ${MAX_PRODUCTION_RATE_LIMIT_FACTOR} in production (higher limits no longer stop abuse)`,
      );
    }
  }

  const gateways = [...new Set(value.PAYMENT_GATEWAYS.split(',').map((g) => g.trim() as GatewayName))];
  const stripe: StripeConfig = value.STRIPE_SECRET_KEY
    ? { sandbox: false, secretKey: value.STRIPE_SECRET_KEY, webhookSecret: value.STRIPE_WEBHOOK_SECRET ?? '' }
    : {
        sandbox: true,
        secretKey: 'sk_test_padlock_sandbox',
        webhookSecret: value.STRIPE_WEBHOOK_SECRET ?? `whsec_${randomBytes(24).toString('base64url').replace(/-/g, 'A')}`,
      };
  const braintree: BraintreeConfig =
    value.BRAINTREE_MERCHANT_ID && value.BRAINTREE_PUBLIC_KEY && value.BRAINTREE_PRIVATE_KEY
      ? {
          environment: value.BRAINTREE_ENVIRONMENT,
          merchantId: value.BRAINTREE_MERCHANT_ID,
          publicKey: value.BRAINTREE_PUBLIC_KEY,
          privateKey: value.BRAINTREE_PRIVATE_KEY,
        }
      : {
          environment: 'local',
          merchantId: 'padlock_sandbox',
          publicKey: 'padlock_sandbox_public',
          privateKey: randomBytes(16).toString('hex'),
        };
  if (!stripe.sandbox && stripe.webhookSecret === '') {
    problems.push('STRIPE_WEBHOOK_SECRET is required with STRIPE_SECRET_KEY (callbacks cannot be verified without it)');
  }
  if (production) {
    if (gateways.includes('stripe') && stripe.sandbox) {
      problems.push(
        'STRIPE_SECRET_KEY is required in production while stripe is in PAYMENT_GATEWAYS (the sandbox gateway is for development only)',
      );
    }
    if (gateways.includes('braintree') && braintree.environment === 'local') {
      problems.push(
        'BRAINTREE_MERCHANT_ID, BRAINTREE_PUBLIC_KEY and BRAINTREE_PRIVATE_KEY are required in production while braintree is in PAYMENT_GATEWAYS',
      );
    }
  }

  if (value.REQUEST_TIMEOUT_SECONDS < value.HEADERS_TIMEOUT_SECONDS) {
    problems.push('REQUEST_TIMEOUT_SECONDS must be at least HEADERS_TIMEOUT_SECONDS (a request includes its headers)');
  }
  const secrets = parseSecretsKeys(value, dataDir, production, problems);
  if (production) problems.push(...productionSecretProblems(value, gateways));

  if (problems.length > 0) throw new ConfigError(problems);

  return Object.freeze({
    env: nodeEnv,
    port: value.PORT,
    httpsPort,
    publicUrl,
    dataDir,
    database,
    tls,
    trustProxy,
    embedOrigins: Object.freeze(embedOrigins),
    currency: value.STORE_CURRENCY,
    orderTtlMinutes: value.ORDER_TTL_MINUTES,
    expirySweepSeconds: value.EXPIRY_SWEEP_SECONDS,
    avsPolicy: value.AVS_POLICY,
    logLevel: value.LOG_LEVEL,
    seedDemoCatalog: value.SEED_DEMO_CATALOG ?? !production,
    hstsMaxAge: value.HSTS_MAX_AGE,
    gateways: Object.freeze(gateways),
    stripe: Object.freeze(stripe),
    braintree: Object.freeze(braintree),
    reconcileAfterMinutes: value.RECONCILE_AFTER_MINUTES,
    reconcileIntervalSeconds: value.RECONCILE_INTERVAL_SECONDS,
    mail: Object.freeze({
      transport: Object.freeze(
        value.SMTP_URL ? { kind: 'smtp' as const, url: value.SMTP_URL } : { kind: 'files' as const, dir: path.join(dataDir, 'mail') },
      ),
      from: Object.freeze(value.MAIL_FROM ?? DEV_MAIL_FROM),
      intervalSeconds: value.MAIL_INTERVAL_SECONDS,
    }),
    adminSessionMaxHours: value.ADMIN_SESSION_MAX_HOURS,
    listenerTimeouts: Object.freeze({
      headersSeconds: value.HEADERS_TIMEOUT_SECONDS,
      requestSeconds: value.REQUEST_TIMEOUT_SECONDS,
      keepAliveSeconds: value.KEEP_ALIVE_TIMEOUT_SECONDS,
    }),
    rateLimitFactor: value.RATE_LIMIT_FACTOR,
    shutdownGraceSeconds: value.SHUTDOWN_GRACE_SECONDS,
    faultInjection: Object.freeze(
      [...new Set((value.FAULT_INJECTION ?? '').split(','))].map((f) => f.trim()).filter((f): f is FaultName => f !== ''),
    ),
    secrets: Object.freeze(secrets.kind === 'configured' ? { ...secrets, keys: Object.freeze(secrets.keys) } : secrets),
    databasePoolSize: value.DATABASE_POOL_SIZE,
    transactionRetries: value.TRANSACTION_RETRIES,
    catalogCacheCheckMs: value.CATALOG_CACHE_CHECK_MS,
  });
}

/**
 * The configuration of a store whose listeners are up: `port` and `httpsPort` become the ports
 * they really listen on (which differ from the configured ones where those were 0), and a
 * PUBLIC_URL that was left to its default names the real HTTPS port.
 *
 * @param listening - the real ports; `httpsPort` is null when there is no TLS listener (TRUST_PROXY)
 */
export function withListeningPorts(
  config: StoreConfig,
  listening: { readonly port: number; readonly httpsPort: number | null },
): StoreConfig {
  const httpsPort = listening.httpsPort ?? config.httpsPort;
  const publicUrl = config.publicUrl === defaultPublicUrl(config.httpsPort) ? defaultPublicUrl(httpsPort) : config.publicUrl;
  return Object.freeze({ ...config, port: listening.port, httpsPort, publicUrl });
}

function defaultPublicUrl(httpsPort: number): string {
  return `https://localhost:${httpsPort}`;
}

const DEV_MAIL_FROM: Mailbox = { name: 'Padlock Store', address: 'store@localhost' };

const emailAddress = Joi.string()
  .email({ tlds: { allow: false } })
  .max(254);

/** Joi custom rule: `Name <address>`, `"Name" <address>` or a bare address, into a {@link Mailbox}. */
function parseMailbox(raw: string, helpers: Joi.CustomHelpers): Mailbox | Joi.ErrorReport {
  const named = /^\s*(?:"([^"\r\n]*)"|([^"<>\r\n]*?))\s*<([^<>\s]+)>\s*$/.exec(raw);
  const name = named ? (named[1] ?? named[2] ?? '').trim() : '';
  const address = named ? named[3] : raw.trim();
  if (emailAddress.validate(address).error) return helpers.error('any.invalid');
  return { name: name === '' ? null : name, address };
}

function trimTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

function parseDatabase(url: string | undefined, dataDir: string): DatabaseConfig {
  if (url === undefined) return { kind: 'sqlite', file: path.join(dataDir, 'store.sqlite') };
  if (url.startsWith('sqlite:')) return { kind: 'sqlite', file: path.resolve(url.slice('sqlite:'.length)) };
  return { kind: 'mysql', url: url.replace(/^mariadb:/, 'mysql:') };
}

function parseTrustProxy(raw: string): StoreConfig['trustProxy'] {
  const v = raw.trim().toLowerCase();
  if (['', 'off', 'false', '0', 'no'].includes(v)) return false;
  if (['on', 'true', 'yes'].includes(v)) return true;
  if (/^\d+$/.test(v)) return Number(v);
  // Express accepts names (loopback, uniquelocal) and comma-separated addresses or subnets.
  return raw.trim();
}

function parseOrigins(raw: string, problems: string[]): string[] {
  const origins = raw
    .split(',')
    .map((s) => trimTrailingSlash(s.trim()))
    .filter((s) => s.length > 0);
  for (const origin of origins) {
    const withoutWildcardPort = origin.replace(/:\*$/, '');
    let parsed: URL | undefined;
    try {
      parsed = new URL(withoutWildcardPort);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !['http:', 'https:'].includes(parsed.protocol) || parsed.origin !== withoutWildcardPort) {
      problems.push(`EMBED_ORIGINS entry "${origin}" is not an origin like https://blog.example.com`);
    }
  }
  return origins;
}

// ---------------------------------------------------------------------------------------------
// Secrets: SECRETS_KEY, and what production refuses of the other secrets (issue 11, part 5).
// ---------------------------------------------------------------------------------------------

/** The shortest SECRETS_KEY accepted: 256 bits. */
export const MIN_SECRETS_KEY_BYTES = 32;
const GENERATE_KEY_HINT = 'generate one with `openssl rand -base64 32`';
/** Fewest different byte values accepted in a key: 32 random bytes hold about 30. */
const MIN_DISTINCT_KEY_BYTES = 16;
// Words of example and template values. Six letters or more, so that a random base64 key holds
// one by chance only about once in several million keys.
const PLACEHOLDER = /change.?me|example|placeholder|secret|password|replace|sample|insert|your.?key/i;

/** The bytes of a key given as hex (64 digits or more) or base64/base64url, or null when it is neither. */
function decodeKey(text: string): Buffer | null {
  if (/^(?:[0-9a-fA-F]{2}){32,}$/.test(text)) return Buffer.from(text, 'hex');
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) return Buffer.from(text, /[-_]/.test(text) ? 'base64url' : 'base64');
  return null;
}

/** Why `text` is not a usable secrets key (named `name` in the message), or null when it is. */
function secretsKeyProblem(name: string, text: string): string | null {
  const bytes = decodeKey(text);
  if (!bytes) return `${name} must be base64 or hex (${GENERATE_KEY_HINT})`;
  if (bytes.length < MIN_SECRETS_KEY_BYTES)
    return `${name} is ${bytes.length} bytes long; it must be at least ${MIN_SECRETS_KEY_BYTES} (${GENERATE_KEY_HINT})`;
  if (PLACEHOLDER.test(text)) return `${name} looks like a placeholder, not a random key (${GENERATE_KEY_HINT})`;
  // 32 random bytes are all printable ASCII about once in 10^14.
  if (bytes.every((b) => b >= 0x20 && b < 0x7f)) return `${name} is readable text encoded, not random bytes (${GENERATE_KEY_HINT})`;
  if (new Set(bytes).size < MIN_DISTINCT_KEY_BYTES) return `${name} repeats too few different bytes to be random (${GENERATE_KEY_HINT})`;
  return null;
}

/**
 * SECRETS_KEY (current) and SECRETS_KEY_PREVIOUS (comma-separated, still accepted for reading
 * during a rotation), each checked for strength; without SECRETS_KEY, a generated key in DATA_DIR
 * outside production, a problem in production.
 */
function parseSecretsKeys(value: EnvSettings, dataDir: string, production: boolean, problems: string[]): SecretsKeyConfig {
  const generated = { kind: 'generated', file: path.join(dataDir, 'secrets.key') } as const;
  const previous = (value.SECRETS_KEY_PREVIOUS ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter((k) => k !== '');
  if (value.SECRETS_KEY === undefined) {
    if (production)
      problems.push(`SECRETS_KEY is required in production: it encrypts the secrets stored in the database (${GENERATE_KEY_HINT})`);
    if (previous.length > 0) problems.push('SECRETS_KEY_PREVIOUS is set without SECRETS_KEY (the new key that replaces them)');
    return generated;
  }
  const named = [
    { name: 'SECRETS_KEY', text: value.SECRETS_KEY.trim() },
    ...previous.map((text, i) => ({ name: `SECRETS_KEY_PREVIOUS entry ${i + 1}`, text })),
  ];
  const keyProblems = named.map(({ name, text }) => secretsKeyProblem(name, text)).filter((p): p is string => p !== null);
  problems.push(...keyProblems);
  if (keyProblems.length > 0) return generated;
  const keys = named.map(({ text }) => decodeKey(text)!.toString('base64'));
  if (new Set(keys).size < keys.length) problems.push('SECRETS_KEY_PREVIOUS repeats a key (or SECRETS_KEY itself)');
  return { kind: 'configured', keys };
}

/** Why a gateway or mail secret is too weak for production, or null: too short, a placeholder, or too uniform. */
function weakSecret(name: string, secret: string, minLength: number): string | null {
  if (secret.length < minLength)
    return `${name} is too short to be a real one (${secret.length} characters after its prefix; real ones have ${minLength} or more)`;
  if (PLACEHOLDER.test(secret) || new Set(secret).size < 10) return `${name} looks like a placeholder, not the real secret`;
  return null;
}

const LOCAL_HOSTS = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/**
 * What production refuses of the secrets besides SECRETS_KEY: gateway test modes (unless
 * ALLOW_TEST_PAYMENTS_IN_PRODUCTION, for a staging store), placeholder or truncated credentials,
 * and an SMTP password sent over a connection that may stay unencrypted.
 */
function productionSecretProblems(value: EnvSettings, gateways: readonly GatewayName[]): string[] {
  const problems: (string | null)[] = [];
  const testPaymentsAllowed = value.ALLOW_TEST_PAYMENTS_IN_PRODUCTION;
  const stripeKey = value.STRIPE_SECRET_KEY;
  if (gateways.includes('stripe') && stripeKey) {
    const [, mode, rest] = /^(?:sk|rk)_(test|live)_(.*)$/.exec(stripeKey) ?? [];
    if (mode === 'test' && !testPaymentsAllowed)
      problems.push(
        'STRIPE_SECRET_KEY is a test-mode key (sk_test_…) in production: test payments would mark real orders paid. Use the live key, ' +
          'or set ALLOW_TEST_PAYMENTS_IN_PRODUCTION=true on a staging store that must take only test payments',
      );
    problems.push(weakSecret('STRIPE_SECRET_KEY', rest ?? '', 24));
    const webhook = value.STRIPE_WEBHOOK_SECRET;
    if (webhook) problems.push(weakSecret('STRIPE_WEBHOOK_SECRET', webhook.slice('whsec_'.length), 24));
  }
  if (gateways.includes('braintree') && value.BRAINTREE_PRIVATE_KEY) {
    if (value.BRAINTREE_ENVIRONMENT === 'sandbox' && !testPaymentsAllowed)
      problems.push(
        'BRAINTREE_ENVIRONMENT is sandbox (its default) in production: sandbox payments would mark real orders paid. Set ' +
          'BRAINTREE_ENVIRONMENT=production with the production credentials, or ALLOW_TEST_PAYMENTS_IN_PRODUCTION=true on a staging store',
      );
    problems.push(weakSecret('BRAINTREE_PRIVATE_KEY', value.BRAINTREE_PRIVATE_KEY, 24));
  }
  if (value.SMTP_URL) problems.push(plainSmtpPassword(value.SMTP_URL));
  return problems.filter((p): p is string => p !== null);
}

/** A problem when SMTP_URL would send its password to another host over smtp:// without requiring STARTTLS. */
function plainSmtpPassword(raw: string): string | null {
  const url = new URL(raw);
  if (url.protocol !== 'smtp:' || (url.username === '' && url.password === '') || LOCAL_HOSTS.test(url.hostname)) return null;
  if (url.searchParams.get('requireTLS') === 'true') return null;
  return (
    `SMTP_URL sends a password to ${url.hostname} over plain smtp:// in production, where it may travel unencrypted: use ` +
    'smtps://host:465, or add ?requireTLS=true to require STARTTLS'
  );
}
