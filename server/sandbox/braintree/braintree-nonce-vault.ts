import { sandboxNonce } from './braintree-ids';
import type { MintedPaymentMethod, SandboxValidationError } from './braintree-sandbox-records';
import { staticNonce, type TestCardType } from './braintree-test-values';

/** A Braintree nonce lives three hours. */
const NONCE_LIFETIME_MS = 3 * 60 * 60_000;

/** What a sale charges: the card or PayPal account a nonce stands for. */
export type ResolvedPaymentMethod =
  | (Extract<MintedPaymentMethod, { kind: 'credit_card' }> & { readonly bin: string })
  | Extract<MintedPaymentMethod, { kind: 'paypal_account' }>;

const NUMBER_LENGTHS: Readonly<Partial<Record<TestCardType, number>>> = { 'American Express': 15, 'Diners Club': 14 };

interface VaultEntry {
  readonly method: MintedPaymentMethod;
  readonly expiresAt: number;
  consumed: boolean;
}

const error = (code: string, message: string, scope: readonly string[] = ['transaction']): SandboxValidationError => ({
  scope,
  attribute: 'payment_method_nonce',
  code,
  message,
});

/**
 * The nonces the sandbox knows: Braintree's static test nonces (reusable), and single-use ones
 * minted by the fields page, which expire like Braintree's.
 */
export class NonceVault {
  private readonly minted = new Map<string, VaultEntry>();

  constructor(private readonly now: () => number = Date.now) {}

  mint(method: MintedPaymentMethod): string {
    this.prune();
    const nonce = sandboxNonce(method.kind === 'credit_card' ? 'card' : 'paypal');
    this.minted.set(nonce, { method, expiresAt: this.now() + NONCE_LIFETIME_MS, consumed: false });
    return nonce;
  }

  /** The payment method a nonce stands for, or the validation error Braintree gives for it. */
  resolve(nonce: string | undefined): { method: ResolvedPaymentMethod } | { error: SandboxValidationError } {
    if (!nonce) return { error: { scope: ['transaction'], attribute: 'base', code: '91508', message: 'Cannot determine payment method.' } };
    const known = staticNonce(nonce);
    if (known) {
      if (known.kind === 'invalid') {
        return known.error === 'consumed'
          ? { error: error('91564', 'Cannot use a payment_method_nonce more than once.') }
          : {
              error: {
                scope: ['transaction', 'creditCard'],
                attribute: 'number',
                code: '81715',
                message: 'Credit card number is invalid.',
              },
            };
      }
      if (known.kind === 'paypal_account') return { method: known };
      const expiry = new Date(this.now());
      return {
        method: {
          ...known,
          numberLength: NUMBER_LENGTHS[known.cardType] ?? 16,
          expirationMonth: '12',
          expirationYear: String(expiry.getUTCFullYear() + 3),
          cvvResponseCode: 'I',
          postalCode: null,
        },
      };
    }
    const entry = this.minted.get(nonce);
    if (!entry || entry.expiresAt <= this.now()) return { error: error('91565', 'Unknown or expired payment_method_nonce.') };
    if (entry.consumed) return { error: error('91564', 'Cannot use a payment_method_nonce more than once.') };
    // Minted cards keep no leading digits, so their BIN is unknown.
    return { method: entry.method.kind === 'credit_card' ? { ...entry.method, bin: '' } : entry.method };
  }

  /** Marks a minted nonce used once a transaction was created with it (declined ones too). */
  consume(nonce: string): void {
    const entry = this.minted.get(nonce);
    if (entry) entry.consumed = true;
  }

  /** Everything held, for the memory dump. */
  entries(): readonly (readonly [string, VaultEntry])[] {
    return [...this.minted.entries()];
  }

  private prune(): void {
    const now = this.now();
    for (const [nonce, entry] of this.minted) if (entry.expiresAt <= now) this.minted.delete(nonce);
  }
}
