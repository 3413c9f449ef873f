import { Secret, TOTP } from 'otpauth';

/** The name authenticator apps show next to the account. */
export const TOTP_ISSUER = 'Padlock Store';
/** Seconds each code lives (RFC 6238's default, and the only period every app supports). */
export const TOTP_PERIOD_SECONDS = 30;
// 160 bits: RFC 4226's recommended key length for HMAC-SHA1.
const SECRET_BYTES = 20;
// One step either side forgives a phone clock up to 30 s off and a code typed just as it changed.
const WINDOW = 1;

const totp = (secret: string, label = 'admin'): TOTP =>
  new TOTP({ issuer: TOTP_ISSUER, label, algorithm: 'SHA1', digits: 6, period: TOTP_PERIOD_SECONDS, secret: Secret.fromBase32(secret) });

/** A new random TOTP secret, base32 as authenticator apps take it. */
export const newTotpSecret = (): string => new Secret({ size: SECRET_BYTES }).base32;

/** The `otpauth://totp/…` URI an authenticator app reads from the QR code (SHA1, 6 digits, 30 s). */
export const otpauthUrl = (secret: string, email: string): string => totp(secret, email).toString();

/** The six digits of what was typed as an authenticator code ("123 456" as apps show it), or null. */
export function authenticatorCode(input: string): string | null {
  const digits = input.replace(/\s+/g, '');
  return /^\d{6}$/.test(digits) ? digits : null;
}

/**
 * The time step (30-second counter since 1970) that `code` belongs to when it is right for
 * `secret` within one step of `at`, else null. Replay protection remembers this step.
 */
export function totpStep(secret: string, code: string, at: Date): number | null {
  const generator = totp(secret);
  const timestamp = at.getTime();
  const delta = generator.validate({ token: code, timestamp, window: WINDOW });
  return delta === null ? null : generator.counter({ timestamp }) + delta;
}
