import express, { Router } from 'express';
import { DomainError, type ErrorKind } from '../domain-error';
import { databaseOutage } from '../http/database-outage';
import { requestLog } from '../http/request-logger';
import type { CallbackProcessor } from './callback-processor';
import { CallbackVerificationError } from './payment-gateway';

const KIND_BY_REASON: Readonly<Record<CallbackVerificationError['reason'], ErrorKind>> = {
  missing_signature: 'invalid_input',
  malformed: 'invalid_input',
  stale: 'invalid_input',
  bad_signature: 'unauthenticated',
};

/** Whether `err` is the refusal of a callback that could not be verified (it was never processed). */
export const isUnverifiedCallback = (err: unknown): boolean => err instanceof DomainError && UNVERIFIED_CODES.has(err.code);

const unverifiedCode = (reason: CallbackVerificationError['reason']) => `callback_${reason}`;
const UNVERIFIED_CODES: ReadonlySet<string> = new Set(
  Object.keys(KIND_BY_REASON).map((r) => unverifiedCode(r as CallbackVerificationError['reason'])),
);

/**
 * `POST /webhooks/:gateway`: gateway callbacks. The body is kept raw (signatures are computed
 * over the exact bytes) and verified before anything else happens. Answers: 200 when applied,
 * duplicate, ignored or about an unknown payment; 400/401 when it cannot be trusted; 503 when
 * the database is unreachable and 500 when processing failed otherwise, so the gateway delivers it again.
 */
export function webhookRoutes(callbacks: CallbackProcessor): Router {
  const router = Router();
  router.post('/:gateway', express.raw({ type: () => true, limit: '256kb' }), async (req, res) => {
    const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    try {
      const result = await callbacks.receive(req.params.gateway, { headers: req.headers, rawBody });
      res.json({ received: true, result });
    } catch (err) {
      if (err instanceof CallbackVerificationError) {
        throw new DomainError(KIND_BY_REASON[err.reason], unverifiedCode(err.reason), err.message);
      }
      if (err instanceof DomainError) throw err;
      // The database is unreachable: 503, and the gateway delivers the callback again later.
      const outage = databaseOutage(err);
      if (outage) throw outage;
      requestLog(req)?.error({ err, gateway: req.params.gateway }, 'callback processing failed');
      throw new DomainError('internal', 'callback_failed', 'The callback could not be processed; please deliver it again');
    }
  });
  return router;
}
