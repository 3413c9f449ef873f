import express from 'express';
import type { FieldsPagesRoutes } from './braintree-fields-page.routes';
import { tokenize } from './braintree-tokenize';

/**
 * `POST /tokenize`: card (or PayPal) details from the fields page's script, answered with a
 * one-time nonce. Requests from any other origin are refused.
 */
export const tokenizeRoutes: FieldsPagesRoutes = (router, { ledger, logger, ownOrigin }) => {
  router.post('/tokenize', express.json({ limit: '8kb' }), (req, res) => {
    res.set('Cache-Control', 'no-store');
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== ownOrigin()) {
      res.status(403).json({ error: { code: 'forbidden_origin', message: 'Card details are accepted from the fields page only.' } });
      return;
    }
    const outcome = tokenize(req.body, new Date());
    if (!outcome.ok) {
      res.status(422).json({ error: { code: 'card_invalid', message: outcome.message } });
      return;
    }
    const nonce = ledger.mintNonce(outcome.method);
    logger.debug({ kind: outcome.method.kind }, 'braintree sandbox: nonce minted');
    res.status(201).json({ nonce, details: outcome.details });
  });
};
