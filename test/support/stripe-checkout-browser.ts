import https from 'node:https';

/** A response from the sandbox's hosted page. */
export interface PageResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly html: string;
}

/** Card and billing details a shopper types on the hosted page. */
export interface CheckoutForm {
  readonly cardNumber: string;
  readonly cardExpiry?: string;
  readonly cardCvc?: string;
  readonly billingName?: string;
  readonly billingAddressLine1?: string;
  readonly billingLocality?: string;
  readonly billingPostalCode?: string;
  readonly billingCountry?: string;
}

function request(url: string, ca: string, method: 'GET' | 'POST', body?: string): Promise<PageResponse> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method,
        ca,
        agent: false,
        headers:
          body === undefined ? {} : { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, html: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A future expiry in `MM/YY`. */
export function futureExpiry(): string {
  const year = (new Date().getUTCFullYear() + 3) % 100;
  return `12/${String(year).padStart(2, '0')}`;
}

/**
 * Drives the hosted page as a browser does, trusting the sandbox's certificate: GET shows the
 * page, `pay` submits its form (without following the redirect, so the test sees where it goes).
 */
export class StripeCheckoutBrowser {
  constructor(private readonly ca: string) {}

  open(url: string): Promise<PageResponse> {
    return request(url, this.ca, 'GET');
  }

  pay(url: string, form: CheckoutForm): Promise<PageResponse> {
    const fields: Record<string, string> = {
      cardExpiry: futureExpiry(),
      cardCvc: '123',
      billingName: 'Ada Lovelace',
      billingAddressLine1: '12 Analytical Row',
      billingLocality: 'London',
      billingPostalCode: 'NW1 6XE',
      billingCountry: 'GB',
      ...form,
    };
    return request(url, this.ca, 'POST', new URLSearchParams(fields).toString());
  }
}

/** The page's HTML with the entities Eta escapes turned back into characters, for assertions on text. */
export function pageText(html: string): string {
  return html
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
