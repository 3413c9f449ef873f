/**
 * Braintree's documented sandbox test values, which the local sandbox follows. Source: the
 * Braintree "Testing" reference (developer.paypal.com/braintree/docs/reference/general/testing/node):
 * "Transaction amounts", "Credit card numbers" (valid numbers, and numbers for unsuccessful
 * verification), "Payment method nonces", and "AVS and CVV/CID responses".
 */

/** What a card or nonce does when charged. */
export type ChargeBehaviour =
  | { readonly kind: 'approve' }
  | { readonly kind: 'processor_declined'; readonly code: string }
  | { readonly kind: 'failed' }
  | { readonly kind: 'gateway_rejected'; readonly reason: 'fraud' | 'application_incomplete' };

export type TestCardType = 'Visa' | 'MasterCard' | 'American Express' | 'Discover' | 'JCB' | 'Maestro' | 'Diners Club' | 'UnionPay';

export interface TestCard {
  readonly cardType: TestCardType;
  readonly behaviour: ChargeBehaviour;
}

const APPROVE: ChargeBehaviour = { kind: 'approve' };
const DECLINE: ChargeBehaviour = { kind: 'processor_declined', code: '2000' };

/**
 * "Valid card numbers" approve. "Card numbers for unsuccessful verification" are documented for
 * card verifications; the store never verifies separately, so the sandbox applies them to the
 * sale instead (processor declined 2000, and failed 3000 for the JCB number) so a shopper can see
 * a decline by card number, without a special amount.
 */
const TEST_CARDS: ReadonlyMap<string, TestCard> = new Map<string, TestCard>([
  ['378282246310005', { cardType: 'American Express', behaviour: APPROVE }],
  ['371449635398431', { cardType: 'American Express', behaviour: APPROVE }],
  ['36259600000004', { cardType: 'Diners Club', behaviour: APPROVE }],
  ['6011000991300009', { cardType: 'Discover', behaviour: APPROVE }],
  ['6011111111111117', { cardType: 'Discover', behaviour: APPROVE }],
  ['3530111333300000', { cardType: 'JCB', behaviour: APPROVE }],
  ['6304000000000000', { cardType: 'Maestro', behaviour: APPROVE }],
  ['5555555555554444', { cardType: 'MasterCard', behaviour: APPROVE }],
  ['2223000048400011', { cardType: 'MasterCard', behaviour: APPROVE }],
  ['4111111111111111', { cardType: 'Visa', behaviour: APPROVE }],
  ['4005519200000004', { cardType: 'Visa', behaviour: APPROVE }],
  ['4009348888881881', { cardType: 'Visa', behaviour: APPROVE }],
  ['4012000033330026', { cardType: 'Visa', behaviour: APPROVE }],
  ['4012000077777777', { cardType: 'Visa', behaviour: APPROVE }],
  ['4012888888881881', { cardType: 'Visa', behaviour: APPROVE }],
  ['4217651111111119', { cardType: 'Visa', behaviour: APPROVE }],
  ['4500600000000061', { cardType: 'Visa', behaviour: APPROVE }],
  ['6243030000000001', { cardType: 'UnionPay', behaviour: APPROVE }],
  ['6221261111117766', { cardType: 'UnionPay', behaviour: APPROVE }],
  ['6223164991230014', { cardType: 'UnionPay', behaviour: APPROVE }],
  ['4000111111111115', { cardType: 'Visa', behaviour: DECLINE }],
  ['5105105105105100', { cardType: 'MasterCard', behaviour: DECLINE }],
  ['378734493671000', { cardType: 'American Express', behaviour: DECLINE }],
  ['6011000990139424', { cardType: 'Discover', behaviour: DECLINE }],
  ['38520000009814', { cardType: 'Diners Club', behaviour: DECLINE }],
  ['3566002020360505', { cardType: 'JCB', behaviour: { kind: 'failed' } }],
]);

/** The documented test card with this number, if it is one (the sandbox accepts no other). */
export function testCard(number: string): TestCard | undefined {
  return TEST_CARDS.get(number);
}

/** A static nonce the sandbox knows without tokenizing anything (from the SDK's `Test.Nonces`). */
export type StaticNonce =
  | {
      readonly kind: 'credit_card';
      readonly cardType: TestCardType;
      readonly bin: string;
      readonly last4: string;
      readonly behaviour: ChargeBehaviour;
    }
  | { readonly kind: 'paypal_account'; readonly payerEmail: string; readonly behaviour: ChargeBehaviour }
  | { readonly kind: 'invalid'; readonly error: 'consumed' | 'luhn_invalid' };

const visa = (behaviour: ChargeBehaviour): StaticNonce => ({
  kind: 'credit_card',
  cardType: 'Visa',
  bin: '411111',
  last4: '1111',
  behaviour,
});

const STATIC_NONCES: ReadonlyMap<string, StaticNonce> = new Map<string, StaticNonce>([
  ['fake-valid-nonce', visa(APPROVE)],
  ['fake-valid-no-billing-address-nonce', visa(APPROVE)],
  ['fake-valid-visa-nonce', visa(APPROVE)],
  ['fake-valid-mastercard-nonce', { kind: 'credit_card', cardType: 'MasterCard', bin: '555555', last4: '4444', behaviour: APPROVE }],
  ['fake-valid-amex-nonce', { kind: 'credit_card', cardType: 'American Express', bin: '378282', last4: '0005', behaviour: APPROVE }],
  ['fake-valid-discover-nonce', { kind: 'credit_card', cardType: 'Discover', bin: '601111', last4: '1117', behaviour: APPROVE }],
  ['fake-valid-jcb-nonce', { kind: 'credit_card', cardType: 'JCB', bin: '353011', last4: '0000', behaviour: APPROVE }],
  ['fake-valid-maestro-nonce', { kind: 'credit_card', cardType: 'Maestro', bin: '630400', last4: '0000', behaviour: APPROVE }],
  ['fake-valid-dinersclub-nonce', { kind: 'credit_card', cardType: 'Diners Club', bin: '362596', last4: '0004', behaviour: APPROVE }],
  // The processor-declined nonces are documented for verifications; as with the decline cards,
  // the sandbox applies them to the sale.
  ['fake-processor-declined-visa-nonce', { kind: 'credit_card', cardType: 'Visa', bin: '400011', last4: '1115', behaviour: DECLINE }],
  [
    'fake-processor-declined-mastercard-nonce',
    { kind: 'credit_card', cardType: 'MasterCard', bin: '510510', last4: '5100', behaviour: DECLINE },
  ],
  [
    'fake-processor-declined-amex-nonce',
    { kind: 'credit_card', cardType: 'American Express', bin: '378734', last4: '1000', behaviour: DECLINE },
  ],
  [
    'fake-processor-declined-discover-nonce',
    { kind: 'credit_card', cardType: 'Discover', bin: '601100', last4: '9424', behaviour: DECLINE },
  ],
  [
    'fake-processor-failure-jcb-nonce',
    { kind: 'credit_card', cardType: 'JCB', bin: '356600', last4: '0505', behaviour: { kind: 'failed' } },
  ],
  [
    'fake-gateway-rejected-fraud-nonce',
    { kind: 'credit_card', cardType: 'Visa', bin: '400011', last4: '1511', behaviour: { kind: 'gateway_rejected', reason: 'fraud' } },
  ],
  ['fake-paypal-one-time-nonce', { kind: 'paypal_account', payerEmail: 'payer@example.com', behaviour: APPROVE }],
  ['fake-paypal-billing-agreement-nonce', { kind: 'paypal_account', payerEmail: 'payer@example.com', behaviour: APPROVE }],
  ['fake-consumed-nonce', { kind: 'invalid', error: 'consumed' }],
  ['fake-luhn-invalid-nonce', { kind: 'invalid', error: 'luhn_invalid' }],
]);

export function staticNonce(nonce: string): StaticNonce | undefined {
  return STATIC_NONCES.get(nonce);
}

/**
 * "Transaction amounts" (any currency, in major units): 2000.00–2999.99 processor declined with
 * the amount as the response code, 3000.00–3000.99 failed (3000), 5001.00 gateway rejected
 * (application incomplete); every other amount approves. The argument counts hundredths of the
 * major unit whatever the currency's decimals (¥2500 and $2500.00 are both 250000), as the
 * documented ranges apply "regardless of the processing currency".
 */
export function amountBehaviour(centsOfMajorUnit: number): ChargeBehaviour {
  if (centsOfMajorUnit >= 200000 && centsOfMajorUnit <= 299999) {
    return { kind: 'processor_declined', code: String(Math.floor(centsOfMajorUnit / 100)) };
  }
  if (centsOfMajorUnit >= 300000 && centsOfMajorUnit <= 300099) return { kind: 'failed' };
  if (centsOfMajorUnit === 500100) return { kind: 'gateway_rejected', reason: 'application_incomplete' };
  return APPROVE;
}

/** Processor response texts for the codes the sandbox produces (Braintree "Authorization Responses"). */
const RESPONSE_TEXTS: Readonly<Record<string, string>> = {
  '1000': 'Approved',
  '1002': 'Processed',
  '2000': 'Do Not Honor',
  '2001': 'Insufficient Funds',
  '2002': 'Limit Exceeded',
  '2003': "Cardholder's Activity Limit Exceeded",
  '2004': 'Expired Card',
  '2005': 'Invalid Credit Card Number',
  '2006': 'Invalid Expiration Date',
  '2007': 'No Account',
  '2010': 'Card Issuer Declined CVV',
  '2015': 'Transaction Not Allowed',
  '2016': 'Duplicate Transaction',
  '3000': 'Processor Network Unavailable - Try Again',
};

export function processorResponseText(code: string): string {
  return RESPONSE_TEXTS[code] ?? 'Processor Declined';
}

/** Codes 2000–2003 and 3000 are soft declines (a retry may work); the rest are hard declines. */
export function processorResponseType(code: string): 'approved' | 'soft_declined' | 'hard_declined' {
  if (code.startsWith('1')) return 'approved';
  return ['2000', '2001', '2002', '2003', '2016', '3000'].includes(code) ? 'soft_declined' : 'hard_declined';
}

/** "CVV/CID responses": CVV 200 / CID 2000 → N, 201 / 2011 → U, 301 / 3011 → S, none → I, else M. */
export function cvvResponseCode(cvv: string | null): 'M' | 'N' | 'U' | 'S' | 'I' {
  if (!cvv) return 'I';
  if (cvv === '200' || cvv === '2000') return 'N';
  if (cvv === '201' || cvv === '2011') return 'U';
  if (cvv === '301' || cvv === '3011') return 'S';
  return 'M';
}

/** "AVS postal code responses": 20000 → N, 20001 → U, none → I, else M. */
export function avsPostalCodeResponseCode(postalCode: string | null): 'M' | 'N' | 'U' | 'I' {
  const code = postalCode?.trim();
  if (!code) return 'I';
  if (code === '20000') return 'N';
  if (code === '20001') return 'U';
  return 'M';
}

/** "AVS street address responses": street number 200 → N, 201 → U, none → I, else M. */
export function avsStreetAddressResponseCode(streetAddress: string | null): 'M' | 'N' | 'U' | 'I' {
  const street = streetAddress?.trim();
  if (!street) return 'I';
  const number = /^(\d+)\b/.exec(street)?.[1];
  if (number === '200') return 'N';
  if (number === '201') return 'U';
  return 'M';
}

/** "AVS error responses": billing postal code 30000 → E (system error), 30001 → S (not supported), else blank. */
export function avsErrorResponseCode(postalCode: string | null): 'E' | 'S' | null {
  const code = postalCode?.trim();
  if (code === '30000') return 'E';
  if (code === '30001') return 'S';
  return null;
}
