import { Router, type ErrorRequestHandler, type Response } from 'express';
import type { CartView } from '../cart/cart.view';
import type { CartService } from '../cart/cart.service';
import { formatMoney } from '../money';
import type { PageRenderer } from '../http/page-renderer';
import type { SummaryData } from '../orders/order-presentation';
import type { Checkout } from './checkout.entity';
import { parseCheckoutForm } from './checkout-form';
import type { CheckoutService } from './checkout.service';
import { countryOptions } from './countries';
import type { PayStep } from './pay-step';
import { shippingMethods } from './shipping-methods';
import { valueContainsCardNumber } from '../http/card-number-guard';
import { DomainError, isDomainError } from '../domain-error';

function cartSummary(cart: CartView): SummaryData {
  return {
    lines: cart.items.map((i) => ({ name: i.name, quantity: i.quantity, total: formatMoney(i.lineTotal) })),
    subtotal: formatMoney(cart.total),
    shipping: null,
    total: formatMoney(cart.total),
  };
}

/**
 * The store's own checkout page: `GET /checkout/:token` shows the details form (or, once the
 * order exists, its summary and the pay step); `POST /checkout/:token` validates every field
 * server-side and places the order.
 */
export function checkoutPageRoutes(
  checkouts: CheckoutService,
  carts: CartService,
  pages: PageRenderer,
  currency: string,
  payStep: PayStep,
): { router: Router; cardDataOnForm: ErrorRequestHandler } {
  const router = Router();
  const countries = countryOptions();
  const methods = () => shippingMethods(currency).map((m) => ({ id: m.id, label: m.label, price: formatMoney(m.price) }));

  async function renderForm(
    res: Response,
    checkout: Checkout,
    values: Record<string, unknown>,
    errors: Record<string, string>,
    status = 200,
    formError?: string,
  ): Promise<void> {
    const cart = await carts.view(checkout.cartId);
    res
      .status(status)
      .type('html')
      .send(
        pages.render('checkout-form', 'Checkout', {
          token: checkout.id,
          summary: cartSummary(cart),
          values,
          errors,
          formError,
          countries,
          shippingMethods: methods(),
          returnUrl: checkout.returnUrl,
        }),
      );
  }

  router.get('/:token', async (req, res) => {
    const checkout = await checkouts.find(req.params.token);
    const order = await checkouts.orderOf(checkout);
    if (order) res.type('html').send(pages.render('checkout-pay', 'Review and pay', await payStep.view(checkout, order)));
    else await renderForm(res, checkout, {}, {});
  });

  router.post('/:token', async (req, res) => {
    const checkout = await checkouts.findWithCart(req.params.token);
    const values = (req.body ?? {}) as Record<string, unknown>;
    const parsed = parseCheckoutForm(values);
    if (!parsed.ok) {
      await renderForm(
        res,
        checkout,
        values,
        parsed.errors,
        400,
        [...parsed.formErrors, ...(Object.keys(parsed.errors).length > 0 ? ['Please correct the fields marked below.'] : [])].join(' '),
      );
      return;
    }
    try {
      await checkouts.submit(checkout, parsed.details);
    } catch (err) {
      if (isDomainError(err, 'conflict')) {
        await renderForm(res, checkout, values, {}, 409, err.message);
        return;
      }
      throw err;
    }
    // Post/redirect/get: reloading the pay step never re-submits the form.
    res.redirect(303, `/checkout/${checkout.id}`);
  });

  // The card-number guard refuses a form that carries a card number before this router runs;
  // show the form again with everything else the shopper typed, minus the offending fields.
  const cardDataOnForm: ErrorRequestHandler = (err, req, res, next) => {
    const token = /^\/([^/]+)$/.exec(req.path)?.[1];
    if (!(err instanceof DomainError) || err.code !== 'card_data_refused' || req.method !== 'POST' || !token) return next(err);
    checkouts
      .find(token)
      .then(async (checkout) => {
        const values = withoutCardNumbers((req.body ?? {}) as Record<string, unknown>);
        const errors = Object.fromEntries(
          values.removed.map((field) => [field, 'Card numbers never go here; enter card details only on the payment step.']),
        );
        await renderForm(res, checkout, values.kept, errors, 400, err.message);
      })
      .catch(next);
  };

  return { router, cardDataOnForm };
}

function withoutCardNumbers(values: Record<string, unknown>): { kept: Record<string, unknown>; removed: string[] } {
  const kept: Record<string, unknown> = {};
  const removed: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    if (valueContainsCardNumber(key) || valueContainsCardNumber(value)) removed.push(key);
    else kept[key] = value;
  }
  return { kept, removed };
}
