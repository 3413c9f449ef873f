import type Stripe from 'stripe';
import { StripeApiError, invalidRequest } from './stripe-api-error';
import { queryOf, type StripeApiRoutes } from './stripe-api-routes';
import type { EventListFilter } from './stripe-event-log';
import { booleanParam, integerParam, listParam, objectParam, rejectUnknown, stringParam, type Params } from './stripe-request-params';

/** `created` as a range (`created[gte]=…`) or one exact timestamp (`created=…`). */
function createdRange(range: Params | undefined, exact: number | undefined): EventListFilter['created'] {
  if (range) {
    return {
      gt: integerParam(range.gt, 'created[gt]'),
      gte: integerParam(range.gte, 'created[gte]'),
      lt: integerParam(range.lt, 'created[lt]'),
      lte: integerParam(range.lte, 'created[lte]'),
    };
  }
  return exact !== undefined ? { gte: exact, lte: exact } : undefined;
}

/** The filters of `GET /v1/events`, checked as Stripe checks them (in its order: the first bad one is reported). */
function eventListFilter(params: Params): EventListFilter {
  rejectUnknown(params, ['created', 'delivery_success', 'limit', 'starting_after', 'ending_before', 'type', 'types', 'expand']);
  const created = objectParam(params.created, 'created');
  const createdExact = created ? undefined : integerParam(params.created, 'created');
  const limit = integerParam(params.limit, 'limit') ?? 10;
  if (limit < 1 || limit > 100) throw invalidRequest('Invalid integer: limit must be between 1 and 100', { param: 'limit' });
  const type = stringParam(params.type, 'type');
  const types = listParam(params.types, 'types')?.map((t, i) => stringParam(t, `types[${i}]`, true));
  return {
    types: types ?? (type ? [type] : undefined),
    created: createdRange(created, createdExact),
    deliverySuccess: booleanParam(params.delivery_success, 'delivery_success'),
    limit,
    startingAfter: stringParam(params.starting_after, 'starting_after'),
    endingBefore: stringParam(params.ending_before, 'ending_before'),
  };
}

/** `/v1/events`: list (what reconciliation replays) and retrieve. */
export const eventRoutes: StripeApiRoutes = (router, { events }) => {
  router.get('/v1/events', (req, res) => {
    const page = events.list(eventListFilter(queryOf(req)));
    const list: Stripe.ApiList<Stripe.Event> = { object: 'list', data: page.data, has_more: page.hasMore, url: '/v1/events' };
    res.json(list);
  });
  router.get('/v1/events/:id', (req, res) => {
    const event = events.find(req.params.id);
    if (!event)
      throw new StripeApiError(404, {
        type: 'invalid_request_error',
        code: 'resource_missing',
        param: 'id',
        message: `No such event: '${req.params.id}'`,
      });
    res.json(event);
  });
};
