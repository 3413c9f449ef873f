import { DomainError } from '../domain-error';

/**
 * Runs database work whose queries carry a secret (a TOTP secret, a recovery code's hash). A
 * failed query's error holds its SQL and parameters, and error logs print them, so a failure is
 * re-thrown as a bare error naming only the driver's error code. Refusals (DomainError) pass as they are.
 */
export async function withSecretParameters<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof DomainError) throw err;
    const code = (err as { driverError?: { code?: unknown } } | null)?.driverError?.code;
    throw new Error(`A database query carrying a secret failed${typeof code === 'string' ? ` (${code})` : ''}; its details are withheld.`);
  }
}
