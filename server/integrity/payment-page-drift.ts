import type { PaymentPageId, PaymentPageInventory } from './payment-page-inventory';
import { parsePolicy, type PaymentPageHeaders } from './payment-page-policy';
import { sriHash } from './script-integrity';

/** One payment page as the store served it, with the bytes of every script it references. */
export interface ServedPage {
  readonly page: PaymentPageId;
  /** The address it was fetched from (scripts are resolved against it). */
  readonly url: string;
  readonly html: string;
  readonly contentSecurityPolicy: string | null;
  readonly reportingEndpoints: string | null;
  /** Each same-origin script's bytes by absolute URL; null when fetching it failed. */
  readonly scriptBodies: ReadonlyMap<string, Buffer | null>;
}

/**
 * Something that differs from the inventory. `drift` fails the check (a script or header that is
 * not what the inventory says); `note` is reported but passes (an inventory script the page did not
 * need this time, e.g. the Braintree fields while Braintree is unreachable).
 */
export interface Finding {
  readonly page: PaymentPageId;
  readonly severity: 'drift' | 'note';
  readonly message: string;
}

/** A `<script>` element's attributes, as written in the page. */
export interface ScriptTag {
  readonly src: string | null;
  readonly integrity: string | null;
  readonly crossorigin: string | null;
  readonly type: string | null;
}

// Data blocks (JSON-LD, JSON) are not run by the browser.
const DATA_BLOCK = /^application\/(ld\+)?json$/i;
const SCRIPT_OPEN = /<script\b([^>]*)>/gi;
const ATTRIBUTE = /([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;

const decodeEntities = (value: string) =>
  value.replace(/&(amp|quot|#39|lt|gt);/g, (_m, e: string) => ({ amp: '&', quot: '"', '#39': "'", lt: '<', gt: '>' })[e] ?? '');

/** Every `<script>` element of an HTML page, data blocks included. */
export function scriptTags(html: string): ScriptTag[] {
  const tags: ScriptTag[] = [];
  for (const match of html.matchAll(SCRIPT_OPEN)) {
    const attributes = new Map<string, string>();
    for (const a of match[1].matchAll(ATTRIBUTE)) {
      const name = a[1].toLowerCase();
      if (!attributes.has(name)) attributes.set(name, decodeEntities(a[2] ?? a[3] ?? a[4] ?? ''));
    }
    tags.push({
      src: attributes.get('src') ?? null,
      integrity: attributes.get('integrity') ?? null,
      crossorigin: attributes.get('crossorigin') ?? null,
      type: attributes.get('type') ?? null,
    });
  }
  return tags;
}

/** Whether `origin` is covered by a CSP host source such as `https://*.paypal.com`. */
function originAllowed(origin: string, sources: readonly string[]): boolean {
  return sources.some((source) => {
    if (source === origin) return true;
    const wildcard = /^https:\/\/\*\.(.+)$/.exec(source);
    return wildcard !== null && origin.startsWith('https://') && origin.endsWith(`.${wildcard[1]}`);
  });
}

/** Whether any of the (space-separated) hashes of an `integrity` attribute matches the bytes. */
function integrityMatches(integrity: string, bytes: Buffer): boolean {
  const actual = sriHash(bytes);
  return integrity.split(/\s+/).some((hash) => hash.replace(/\?.*$/, '') === actual);
}

function policyDrift(served: string | null, expected: string): string[] {
  if (served === null) return ['sends no Content-Security-Policy'];
  const want = parsePolicy(expected);
  const got = parsePolicy(served);
  const problems: string[] = [];
  for (const name of new Set([...want.keys(), ...got.keys()])) {
    const w = want.get(name);
    const g = got.get(name);
    if (w?.join(' ') === g?.join(' ')) continue;
    if (!g) problems.push(`its Content-Security-Policy lacks ${name} (the inventory gives "${w!.join(' ')}")`);
    else if (!w) problems.push(`its Content-Security-Policy adds ${name} "${g.join(' ')}", which the inventory does not give`);
    else problems.push(`its Content-Security-Policy has ${name} "${g.join(' ')}"; the inventory gives "${w.join(' ')}"`);
  }
  return problems;
}

/**
 * Compares one served payment page with the inventory: every script must be listed for that page
 * (the store's own by path, with an `integrity` that matches the bytes served; a gateway's by
 * origin), no inline script, and the Content-Security-Policy and Reporting-Endpoints headers
 * exactly as generated from the inventory.
 */
export function pageDrift(inventory: PaymentPageInventory, expected: PaymentPageHeaders, served: ServedPage): Finding[] {
  const findings: Finding[] = [];
  const drift = (message: string) => findings.push({ page: served.page, severity: 'drift', message });
  const pageUrl = new URL(served.url);
  const listed = inventory.storeScripts.filter((s) => s.pages.includes(served.page));
  const gatewayScripts = inventory.gatewaySources.filter((s) => s.directive === 'script-src').map((s) => s.origin);
  const seen = new Set<string>();

  for (const tag of scriptTags(served.html)) {
    if (tag.type !== null && DATA_BLOCK.test(tag.type)) continue;
    if (tag.src === null) {
      drift('has an inline script, which the inventory never allows');
      continue;
    }
    const url = new URL(tag.src, pageUrl);
    if (url.origin !== pageUrl.origin) {
      if (!originAllowed(url.origin, gatewayScripts)) drift(`loads ${url.href}, whose origin no gateway in the inventory declares`);
      continue;
    }
    const entry = listed.find((s) => s.src === url.pathname);
    if (!entry || url.search !== '') {
      drift(`loads ${url.pathname}${url.search}, which the inventory does not list for this page`);
      continue;
    }
    seen.add(entry.src);
    if (!tag.integrity) {
      drift(`loads ${entry.src} without an integrity attribute`);
      continue;
    }
    if (tag.crossorigin !== 'anonymous') drift(`loads ${entry.src} without crossorigin="anonymous"`);
    const bytes = served.scriptBodies.get(url.href);
    if (!bytes) drift(`loads ${entry.src}, which could not be fetched`);
    else if (!integrityMatches(tag.integrity, bytes))
      drift(`loads ${entry.src} with integrity ${tag.integrity}, but the bytes served there hash to ${sriHash(bytes)}`);
  }
  for (const entry of listed) {
    if (!seen.has(entry.src))
      findings.push({ page: served.page, severity: 'note', message: `does not load ${entry.src} (listed in the inventory for this page)` });
  }

  policyDrift(served.contentSecurityPolicy, expected.contentSecurityPolicy).forEach(drift);
  if (served.reportingEndpoints !== expected.reportingEndpoints)
    drift(
      `sends Reporting-Endpoints ${JSON.stringify(served.reportingEndpoints)}; expected ${JSON.stringify(expected.reportingEndpoints)}`,
    );
  return findings;
}

/** Same-origin script URLs a page references: what must be fetched before {@link pageDrift} can judge it. */
export function sameOriginScripts(html: string, pageUrl: string): string[] {
  const base = new URL(pageUrl);
  return scriptTags(html)
    .filter((t) => t.src !== null && !(t.type !== null && DATA_BLOCK.test(t.type)))
    .map((t) => new URL(t.src!, base))
    .filter((u) => u.origin === base.origin)
    .map((u) => u.href);
}
