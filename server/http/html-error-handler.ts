import type { ErrorRequestHandler } from 'express';
import { HttpError } from './http-error';
import type { PageRenderer } from './page-renderer';

/** Errors on the store's HTML pages are shown as a page, with the same honest status codes. */
export function htmlErrorHandler(pages: PageRenderer): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    const known = err instanceof HttpError ? err : undefined;
    if (!known && !(typeof err === 'object' && err !== null && 'type' in err)) req.log?.error({ err }, 'unhandled error on page');
    const status = known?.status ?? (typeof err?.status === 'number' && err.status < 500 ? err.status : 500);
    const message = known?.message ?? (status < 500 ? 'The request could not be read.' : 'Something went wrong on our side; please try again in a moment.');
    res.status(status).type('html').send(pages.render('message', status === 404 ? 'Not found' : 'Sorry', { heading: status === 404 ? 'Page not found' : 'Sorry', message, link: null }));
  };
}
