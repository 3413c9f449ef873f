import express, { Router, type RequestHandler } from 'express';
import { DomainError } from '../domain-error';
import { cardNumberGuard, urlContainsCardNumber } from '../http/card-number-guard';
import { CSP_REPORT_TYPES, parseCspReports, type ReportedViolation } from './csp-report-parse';
import type { CspViolations } from './csp-violations';

/** A report is a few hundred bytes; a Reporting API batch a few KB. */
const REPORT_BODY_LIMIT = '8kb';

const cardDataRefused = () =>
  new DomainError(
    'invalid_input',
    'card_data_refused',
    'This report quotes a URL that looks like it holds a payment card number; it is not stored.',
  );

/** Stored URLs are percent-decoded piece by piece too: a card number must not hide behind `%20`. */
const quotesCardNumber = (v: ReportedViolation) => [v.page, v.blockedUrl, v.sourceFile ?? ''].some((url) => urlContainsCardNumber(url));

/**
 * `POST /csp-reports`: where browsers send the payment pages' Content-Security-Policy violations
 * (`report-uri` as `application/csp-report`, `report-to` as `application/reports+json`). The
 * endpoint is on the pages' own origin, so browsers send reports without CORS. Mount it before
 * the app's JSON parser: it parses its own media types, capped at 8 KB (413 beyond), then the
 * card-number guard looks at the body like at any other, and a report that quotes a card number
 * is refused (400) and not stored. Answers 204.
 *
 * @param options.limiter - a rate limiter run before anything else (abuse limits are wired by the app)
 */
export function cspReportRoutes(violations: CspViolations, options: { limiter?: RequestHandler } = {}): Router {
  const router = Router();
  if (options.limiter) router.use(options.limiter);
  const requireReportType: RequestHandler = (req, _res, next) => {
    if (!req.is([...CSP_REPORT_TYPES]))
      throw new DomainError('unsupported_encoding', 'unsupported_media_type', `CSP reports are sent as ${CSP_REPORT_TYPES.join(' or ')}`);
    next();
  };
  router.post(
    '/',
    requireReportType,
    express.json({ type: [...CSP_REPORT_TYPES], limit: REPORT_BODY_LIMIT, strict: true }),
    cardNumberGuard,
    async (req, res) => {
      const type = CSP_REPORT_TYPES.find((t) => req.is(t)) ?? CSP_REPORT_TYPES[0];
      const reported = parseCspReports(type, req.body);
      if (reported.some(quotesCardNumber)) throw cardDataRefused();
      await violations.record(reported);
      res.status(204).end();
    },
  );
  return router;
}
