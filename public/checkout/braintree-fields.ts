// The pay step's Braintree payment. The card (or PayPal account) is entered only in Braintree's
// own fields: Drop-in with real Braintree, or the local sandbox's fields page in an iframe. Either
// hands back a one-time nonce, which this script puts in the pay form and submits; the store
// charges the nonce server-side. No card data ever passes through this page.

/** Drop-in 1.x, pinned (braintree-web-drop-in on npm; served from Braintree's CDN). */
const DROP_IN_URL = 'https://js.braintreegateway.com/web/dropin/1.48.0/js/dropin.min.js';
const NONCE_MESSAGE = 'padlock:braintree-nonce';
const RESIZE_MESSAGE = 'padlock:braintree-resize';
const NONCE_PATTERN = /^[A-Za-z0-9_-]{1,200}$/;

interface DropinPayload {
  readonly nonce: string;
}

interface DropinInstance {
  requestPaymentMethod(): Promise<DropinPayload>;
}

interface DropinCreateOptions {
  readonly authorization: string;
  readonly container: HTMLElement;
  readonly paypal: { readonly flow: 'checkout'; readonly amount: string; readonly currency: string };
}

declare global {
  interface Window {
    braintree?: { dropin?: { create(options: DropinCreateOptions): Promise<DropinInstance> } };
  }
}

interface PayStep {
  readonly section: HTMLElement;
  readonly container: HTMLElement;
  readonly amount: string;
  readonly currency: string;
  showError(message: string | null): void;
  submitNonce(nonce: string): void;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Local sandbox: its fields page in an iframe, which posts the nonce back to this page. */
function mountSandboxFields(step: PayStep, fieldsUrl: string): void {
  let fields: URL;
  try {
    fields = new URL(fieldsUrl);
  } catch {
    step.showError('The payment form is not available right now.');
    return;
  }
  fields.searchParams.set('origin', window.location.origin);
  fields.searchParams.set('amount', step.amount);
  fields.searchParams.set('currency', step.currency);

  const frame = document.createElement('iframe');
  frame.src = fields.href;
  frame.title = 'Card or PayPal (sandbox)';
  frame.height = '420';
  frame.style.width = '100%';
  frame.style.border = '0';
  step.container.appendChild(frame);

  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    if (event.origin !== fields.origin || event.source !== frame.contentWindow) return;
    const data = event.data;
    if (!isRecord(data)) return;
    if (data.type === RESIZE_MESSAGE && typeof data.height === 'number' && Number.isFinite(data.height)) {
      frame.height = String(Math.min(Math.max(Math.ceil(data.height), 200), 1200));
    } else if (data.type === NONCE_MESSAGE && typeof data.nonce === 'string' && NONCE_PATTERN.test(data.nonce)) {
      step.submitNonce(data.nonce);
    }
  });
}

function loadDropIn(): Promise<NonNullable<Window['braintree']>> {
  return new Promise((resolve, reject) => {
    if (window.braintree?.dropin) {
      resolve(window.braintree);
      return;
    }
    const script = document.createElement('script');
    script.src = DROP_IN_URL;
    script.async = true;
    script.addEventListener('load', () =>
      window.braintree?.dropin ? resolve(window.braintree) : reject(new Error('Drop-in did not load')),
    );
    script.addEventListener('error', () => reject(new Error('Drop-in could not be loaded')));
    document.head.appendChild(script);
  });
}

/** Real Braintree: Drop-in (cards and PayPal) and a Pay button that asks it for the nonce. */
async function mountDropIn(step: PayStep, clientToken: string, form: HTMLFormElement): Promise<void> {
  let instance: DropinInstance;
  try {
    const braintree = await loadDropIn();
    const dropin = braintree.dropin;
    if (!dropin?.create) throw new Error('Drop-in is missing');
    instance = await dropin.create({
      authorization: clientToken,
      container: step.container,
      paypal: { flow: 'checkout', amount: step.amount, currency: step.currency },
    });
  } catch {
    step.showError('The payment form could not be loaded. Please reload the page or try again later.');
    return;
  }
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'primary';
  button.textContent = `Pay ${step.amount} ${step.currency}`;
  form.appendChild(button);
  button.addEventListener('click', () => {
    button.disabled = true;
    step.showError(null);
    instance.requestPaymentMethod().then(
      (payload) => step.submitNonce(payload.nonce),
      (err: unknown) => {
        step.showError(err instanceof Error && err.message ? err.message : 'Please check your payment details.');
        button.disabled = false;
      },
    );
  });
}

function setUp(section: HTMLElement): void {
  const form = section.querySelector<HTMLFormElement>('form[data-braintree-form]');
  const container = section.querySelector<HTMLElement>('[data-braintree-container]');
  const nonceInput = form?.querySelector<HTMLInputElement>('input[name="nonce"]');
  const errorBox = section.querySelector<HTMLElement>('[data-braintree-error]');
  const { clientToken, amount, currency, fieldsUrl } = section.dataset;
  if (!form || !container || !nonceInput || !amount || !currency) return;

  let submitted = false;
  const step: PayStep = {
    section,
    container,
    amount,
    currency,
    showError(message) {
      if (!errorBox) return;
      errorBox.textContent = message ?? '';
      errorBox.hidden = message === null;
    },
    submitNonce(nonce) {
      // One nonce, one submission: a second message (or a double click) never pays twice.
      if (submitted) return;
      submitted = true;
      nonceInput.value = nonce;
      form.submit();
    },
  };

  if (fieldsUrl) mountSandboxFields(step, fieldsUrl);
  else if (clientToken) void mountDropIn(step, clientToken, form);
  else step.showError('The payment form is not available right now.');
}

document.querySelectorAll<HTMLElement>('[data-braintree-pay]').forEach(setUp);

export {};
