import type { RequestHandler, Response } from 'express';
import type { SearchCriteria } from './braintree-ledger';
import { asRecord, asString, asStrings, sendXml, type Body, type BraintreeApiRoutes } from './braintree-api-routes';
import { searchResultsXml, transactionPageXml } from './braintree-wire-format';

const PAGE_SIZE = 50;

/** Reads a search body; undefined when it asks for something the sandbox does not answer. */
function readSearch(body: Body): SearchCriteria | undefined {
  const search = asRecord(body.search);
  const criteria: { -readonly [K in keyof SearchCriteria]: SearchCriteria[K] } = {};
  for (const [field, value] of Object.entries(search)) {
    const node = asRecord(value);
    switch (field) {
      case 'ids':
        criteria.ids = asStrings(value);
        break;
      case 'order_id':
        if (Object.keys(node).some((op) => op !== 'is')) return undefined;
        criteria.orderId = asString(node.is);
        break;
      case 'status':
        criteria.statuses = asStrings(value);
        break;
      case 'type':
        criteria.types = asStrings(value);
        break;
      case 'created_at': {
        const min = asString(node.min);
        const max = asString(node.max);
        if (min) criteria.createdAtMin = new Date(min);
        if (max) criteria.createdAtMax = new Date(max);
        break;
      }
      default:
        return undefined;
    }
  }
  return criteria;
}

/** A handler for a search body: 400 when it asks for something the sandbox does not answer. */
function searching(answer: (criteria: SearchCriteria, res: Response) => void): RequestHandler {
  return (req, res) => {
    const criteria = readSearch(asRecord(req.body));
    if (criteria) answer(criteria, res);
    else res.status(400).end();
  };
}

/**
 * `transaction.search`: the SDK first asks for the matching ids, then fetches the transactions a
 * page at a time.
 */
export const transactionSearchRoutes: BraintreeApiRoutes = (router, { ledger }) => {
  router.post(
    '/transactions/advanced_search_ids',
    searching((criteria, res) => sendXml(res, 200, searchResultsXml(ledger.search(criteria), PAGE_SIZE))),
  );
  router.post(
    '/transactions/advanced_search',
    searching((criteria, res) => {
      const page = ledger.search(criteria).slice(0, PAGE_SIZE);
      sendXml(
        res,
        200,
        transactionPageXml(
          page.map((id) => ledger.find(id)).filter((t) => t !== undefined),
          PAGE_SIZE,
        ),
      );
    }),
  );
};
