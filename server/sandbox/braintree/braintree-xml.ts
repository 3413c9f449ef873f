const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

function escapeText(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** `avsPostalCodeResponseCode` → `avs-postal-code-response-code`, as Braintree names its elements. */
function elementName(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`).replace(/_/g, '-');
}

function element(key: string, value: unknown): string {
  const name = elementName(key);
  if (value === undefined) return '';
  if (value === null) return `<${name} nil="true"/>`;
  if (Array.isArray(value)) return `<${name} type="array">${value.map((item) => element('item', item)).join('')}</${name}>`;
  if (value instanceof Date) return `<${name} type="datetime">${value.toISOString().replace(/\.\d{3}Z$/, 'Z')}</${name}>`;
  if (typeof value === 'boolean') return `<${name} type="boolean">${value}</${name}>`;
  if (typeof value === 'number' && Number.isInteger(value)) return `<${name} type="integer">${value}</${name}>`;
  if (typeof value === 'object') {
    return `<${name}>${Object.entries(value)
      .map(([k, v]) => element(k, v))
      .join('')}</${name}>`;
  }
  const text = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'bigint' ? value.toString() : '';
  return `<${name}>${escapeText(text)}</${name}>`;
}

/**
 * Writes a value as Braintree's XML: camelCase keys become dashed element names (the SDK turns
 * them back), and the type attributes the SDK's parser reads are set: `nil="true"` for null,
 * `type="array"`, `type="boolean"`, `type="integer"`, `type="datetime"`. Undefined values are left
 * out.
 */
export function toBraintreeXml(root: string, value: unknown): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${element(root, value)}\n`;
}
