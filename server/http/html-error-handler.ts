import type { ErrorRequestHandler } from 'express';
import { knownError, statusOf } from './error-handler';
import type { PageRenderer } from './page-renderer';
import { requestLog } from './request-logger';

/** Errors on the store's HTML pages are shown as a page, with the same honest status codes. */
export function htmlErrorHandler(pages: PageRenderer): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    const known = knownError(err);
    const status = statusOf(known);
    if (status >= 500) requestLog(req)?.error({ err }, 'error on page');
    const message = known?.message ?? 'Something went wrong on our side; please try again in a moment.';
    res
      .status(status)
      .type('html')
      .send(
        pages.render('message', status === 404 ? 'Not found' : 'Sorry', {
          heading: status === 404 ? 'Page not found' : 'Sorry',
          message,
          link: null,
        }),
      );
  };
}
