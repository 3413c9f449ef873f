import { Secret, URI } from 'otpauth';
import { authenticatorCode, newTotpSecret, otpauthUrl, totpStep } from '../../server/admin/auth/totp';

// RFC 6238, appendix B: the SHA1 key is the ASCII string "12345678901234567890".
const RFC_SECRET = Secret.fromLatin1('12345678901234567890').base32;
const at = (seconds: number): Date => new Date(seconds * 1000);

describe('TOTP codes (RFC 6238, SHA1, 6 digits, 30 s)', () => {
  it('accepts the RFC test vectors (last six digits) and names the time step they belong to', () => {
    expect(totpStep(RFC_SECRET, '287082', at(59))).toBe(1);
    expect(totpStep(RFC_SECRET, '081804', at(1111111109))).toBe(Math.floor(1111111109 / 30));
    expect(totpStep(RFC_SECRET, '005924', at(1234567890))).toBe(Math.floor(1234567890 / 30));
  });

  it('forgives one step of clock drift either way, and no more', () => {
    expect(totpStep(RFC_SECRET, '287082', at(29))).toBe(1); // the phone runs ahead
    expect(totpStep(RFC_SECRET, '287082', at(89))).toBe(1); // the code was typed as it changed
    expect(totpStep(RFC_SECRET, '287082', at(90))).toBeNull();
    expect(totpStep(RFC_SECRET, '287082', at(-1))).toBeNull();
  });

  it('refuses a wrong code and a code for another secret', () => {
    expect(totpStep(RFC_SECRET, '287083', at(59))).toBeNull();
    expect(totpStep(newTotpSecret(), '287082', at(59))).toBeNull();
  });

  it('reads what an admin types: six digits, spaces allowed, nothing else', () => {
    expect(authenticatorCode('287082')).toBe('287082');
    expect(authenticatorCode(' 287 082 ')).toBe('287082');
    expect(authenticatorCode('28708')).toBeNull();
    expect(authenticatorCode('2870820')).toBeNull();
    expect(authenticatorCode('28708a')).toBeNull();
    expect(authenticatorCode('abcd-efgh-jkmn')).toBeNull();
  });

  it('makes random 160-bit base32 secrets', () => {
    const a = newTotpSecret();
    expect(a).toMatch(/^[A-Z2-7]{32}$/);
    expect(Secret.fromBase32(a).bytes).toHaveLength(20);
    expect(newTotpSecret()).not.toBe(a);
  });

  it('builds the otpauth URI authenticator apps read: issuer, the admin’s email, SHA1, 6 digits, 30 s', () => {
    const secret = newTotpSecret();
    const uri = otpauthUrl(secret, 'admin@shop.test');
    expect(uri).toBe(
      `otpauth://totp/Padlock%20Store:admin%40shop.test?issuer=Padlock%20Store&secret=${secret}&algorithm=SHA1&digits=6&period=30`,
    );
    const parsed = URI.parse(uri);
    expect(parsed.issuer).toBe('Padlock Store');
    expect(parsed.label).toBe('admin@shop.test');
  });
});
