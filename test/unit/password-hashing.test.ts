import { hashPassword, passwordProblem, verifyAgainstDecoy, verifyPassword } from '../../server/admin/auth/password-hashing';

describe('admin password hashing (scrypt)', () => {
  it('stores the OWASP parameters, a random salt and the key, never the password', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).toMatch(/^scrypt\$17\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('horse');
  });

  it('verifies the right password and refuses a wrong one, a changed hash and garbage', async () => {
    const stored = await hashPassword('correct horse battery');
    await expect(verifyPassword('correct horse battery', stored)).resolves.toBe(true);
    await expect(verifyPassword('correct horse batterY', stored)).resolves.toBe(false);
    const tampered = stored.slice(0, -2) + (stored.endsWith('AA') ? 'BB' : 'AA');
    await expect(verifyPassword('correct horse battery', tampered)).resolves.toBe(false);
    await expect(verifyPassword('correct horse battery', 'plain-text')).resolves.toBe(false);
    await expect(verifyPassword('correct horse battery', 'scrypt$30$8$1$AAAA$AAAA')).resolves.toBe(false);
    await expect(verifyAgainstDecoy('anything at all')).resolves.toBe(false);
  });

  it('treats canonically equivalent spellings of a password alike (NFKC)', async () => {
    const stored = await hashPassword('Cafe\u0301 au lait 2026');
    await expect(verifyPassword('Caf\u00e9 au lait 2026', stored)).resolves.toBe(true);
  });

  it('asks for 12 to 256 characters, counted as characters rather than bytes', () => {
    expect(passwordProblem('short pass1')).toMatch(/at least 12/);
    expect(passwordProblem('twelve chars')).toBeNull();
    expect(passwordProblem('🔒'.repeat(12))).toBeNull();
    expect(passwordProblem('x'.repeat(257))).toMatch(/at most 256/);
  });
});
