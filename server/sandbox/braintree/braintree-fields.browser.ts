// The script of the sandbox's fields page, run in the shopper's browser inside the store's pay
// step iframe. The sandbox compiles this file with esbuild when it starts and serves it as
// /fields.js. The server program is compiled without the DOM library, so the few DOM members
// used here are declared below instead.

interface PageElement {
  value: string;
  hidden: boolean;
  disabled: boolean;
  textContent: string | null;
  getAttribute(name: string): string | null;
  querySelector(selector: string): PageElement | null;
  addEventListener(type: string, listener: (event: { preventDefault(): void }) => void): void;
}

interface FieldsWindow {
  readonly document: { querySelector(selector: string): PageElement | null; readonly documentElement: { readonly scrollHeight: number } };
  readonly parent: { postMessage(message: unknown, targetOrigin: string): void };
  fetch(
    url: string,
    init: { method: string; headers: Record<string, string>; body: string },
  ): Promise<{ readonly ok: boolean; json(): Promise<unknown> }>;
}

interface TokenizeReply {
  readonly nonce?: string;
  readonly details?: unknown;
  readonly error?: { readonly message?: string };
}

const page = globalThis as unknown as FieldsWindow;
const form = page.document.querySelector('[data-card-form]');

if (form) {
  const cardForm = form;
  // Validated by the server: the store origin given in the page's query, and in its frame-ancestors.
  const storeOrigin = cardForm.getAttribute('data-store-origin') ?? '';
  const errorBox = cardForm.querySelector('[data-error]');
  const buttons = [cardForm.querySelector('[data-pay-card]'), cardForm.querySelector('[data-pay-paypal]')];
  const field = (name: string) => cardForm.querySelector(`[name="${name}"]`);

  const resize = () =>
    page.parent.postMessage({ type: 'padlock:braintree-resize', height: page.document.documentElement.scrollHeight }, storeOrigin);

  const showError = (message: string | null) => {
    if (!errorBox) return;
    errorBox.textContent = message ?? '';
    errorBox.hidden = message === null;
    resize();
  };

  const setBusy = (busy: boolean) => {
    for (const button of buttons) if (button) button.disabled = busy;
  };

  const tokenize = async (body: Record<string, string>) => {
    setBusy(true);
    showError(null);
    let done = false;
    try {
      const response = await page.fetch('/tokenize', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      const reply = (await response.json()) as TokenizeReply;
      if (!response.ok || typeof reply.nonce !== 'string') {
        showError(reply.error?.message ?? 'This payment method cannot be used.');
        return;
      }
      for (const name of ['number', 'cvv']) {
        const input = field(name);
        if (input) input.value = '';
      }
      page.parent.postMessage({ type: 'padlock:braintree-nonce', nonce: reply.nonce, details: reply.details }, storeOrigin);
      done = true;
    } catch {
      showError('The payment fields could not be reached. Please try again.');
    } finally {
      // After a nonce went to the store, the store submits the payment: nothing more to click here.
      if (!done) setBusy(false);
    }
  };

  cardForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const value = (name: string) => field(name)?.value ?? '';
    void tokenize({ kind: 'card', number: value('number'), expiry: value('expiry'), cvv: value('cvv'), postalCode: value('postalCode') });
  });
  cardForm.querySelector('[data-pay-paypal]')?.addEventListener('click', () => {
    void tokenize({ kind: 'paypal' });
  });
  resize();
}

export {};
