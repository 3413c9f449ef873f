import { createHash } from 'node:crypto';
import { newRecoveryCodes, RECOVERY_CODE_COUNT, recoveryCodeHash } from '../../server/admin/auth/recovery-codes';

describe('TOTP recovery codes', () => {
  it('makes ten different xxxx-xxxx-xxxx codes from an alphabet without look-alike letters', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(RECOVERY_CODE_COUNT).toBe(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}$/);
  });

  it('uses every symbol of the alphabet (the draw is not stuck on a subset)', () => {
    const symbols = new Set(newRecoveryCodes(200).join('').replace(/-/g, ''));
    expect(symbols.size).toBe(32);
  });

  it('stores a code as the SHA-256 (hex) of its 12 symbols, never the code', () => {
    const hash = recoveryCodeHash('ab12-cd34-ef56');
    expect(hash).toBe(createHash('sha256').update('ab12cd34ef56').digest('hex'));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reads the code however it is typed back: case, spaces, hyphens, i/l for 1 and o for 0', () => {
    const hash = recoveryCodeHash('a1b0-cd34-ef56');
    expect(recoveryCodeHash('A1B0CD34EF56')).toBe(hash);
    expect(recoveryCodeHash(' a1b0 cd34 ef56 ')).toBe(hash);
    expect(recoveryCodeHash('aIbO-cd34-ef56')).toBe(hash);
    expect(recoveryCodeHash('alb0-cd34-ef56')).toBe(hash);
  });

  it('refuses what cannot be a code', () => {
    expect(recoveryCodeHash('a1b0-cd34-ef5')).toBeNull();
    expect(recoveryCodeHash('a1b0-cd34-ef567')).toBeNull();
    expect(recoveryCodeHash('a1b0-cd34-ef5u')).toBeNull();
    expect(recoveryCodeHash('123456')).toBeNull();
    expect(recoveryCodeHash('')).toBeNull();
  });
});
