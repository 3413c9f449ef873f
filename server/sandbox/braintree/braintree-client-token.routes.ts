import { randomBytes } from 'node:crypto';
import { asRecord, asString, sendXml, type BraintreeApiRoutes } from './braintree-api-routes';
import { clientTokenXml, errorResponseXml } from './braintree-wire-format';

/** `POST /client_token`: the token the checkout page's fields are started with. */
export const clientTokenRoutes: BraintreeApiRoutes = (router, { ledger, merchantId }) => {
  router.post('/client_token', (req, res) => {
    const params = asRecord(asRecord(req.body).client_token);
    const accountId = asString(params.merchant_account_id);
    if (!ledger.merchantAccount(accountId)) {
      sendXml(
        res,
        422,
        errorResponseXml(
          [{ scope: ['clientToken'], attribute: 'merchant_account_id', code: '92807', message: 'Merchant account does not exist.' }],
          'Merchant account does not exist.',
        ),
      );
      return;
    }
    // Shaped like a Braintree client token (base64 JSON), though only the sandbox's fields page is meant to use it.
    const token = Buffer.from(
      JSON.stringify({
        version: 2,
        authorizationFingerprint: randomBytes(24).toString('hex'),
        environment: 'padlock-sandbox',
        merchantId,
        merchantAccountId: accountId ?? null,
      }),
    ).toString('base64');
    sendXml(res, 201, clientTokenXml(token));
  });
};
