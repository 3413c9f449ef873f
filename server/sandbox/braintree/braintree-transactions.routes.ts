import type { SaleInput } from './braintree-ledger';
import { asRecord, asString, sendResult, sendXml, type Body, type BraintreeApiRoutes } from './braintree-api-routes';
import type { SandboxBilling } from './braintree-sandbox-records';
import { transactionXml } from './braintree-wire-format';

function readSale(body: Body): SaleInput {
  const t = asRecord(body.transaction);
  const billing = asRecord(t.billing);
  const text = (key: string) => asString(billing[key]);
  const sandboxBilling: SandboxBilling = {
    firstName: text('first_name'),
    lastName: text('last_name'),
    streetAddress: text('street_address'),
    extendedAddress: text('extended_address'),
    locality: text('locality'),
    region: text('region'),
    postalCode: text('postal_code'),
    countryCodeAlpha2: text('country_code_alpha2'),
  };
  return {
    amount: asString(t.amount),
    paymentMethodNonce: asString(t.payment_method_nonce),
    orderId: asString(t.order_id),
    merchantAccountId: asString(t.merchant_account_id),
    customerEmail: asString(asRecord(t.customer).email),
    billing: sandboxBilling,
    submitForSettlement: asRecord(t.options).submit_for_settlement === true,
  };
}

/** The amount of a submit-for-settlement or refund (`{ transaction: { amount } }`); absent for all of it. */
const amountOf = (body: unknown): string | undefined => asString(asRecord(asRecord(body).transaction).amount);

/** `/transactions`: sale (charging a nonce), find, submit for settlement, void and refund. */
export const transactionRoutes: BraintreeApiRoutes = (router, { ledger }) => {
  router.post('/transactions', (req, res) => {
    sendResult(res, ledger.sale(readSale(asRecord(req.body))), 201);
  });
  router.get('/transactions/:id', (req, res) => {
    const transaction = ledger.find(req.params.id);
    if (transaction) sendXml(res, 200, transactionXml(transaction));
    else res.status(404).end();
  });
  router.put('/transactions/:id/submit_for_settlement', (req, res) => {
    sendResult(res, ledger.submitForSettlement(req.params.id, amountOf(req.body)));
  });
  router.put('/transactions/:id/void', (req, res) => {
    sendResult(res, ledger.void(req.params.id));
  });
  router.post('/transactions/:id/refund', (req, res) => {
    sendResult(res, ledger.refund(req.params.id, amountOf(req.body)), 201);
  });
};
