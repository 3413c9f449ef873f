import { h } from './dom';

/**
 * A product picture, or a neutral placeholder when the product has none.
 *
 * @param src - absolute image URL from the API, or null
 * @param alt - text alternative, normally the product name
 */
export function productImage(src: string | null, alt: string): HTMLElement {
  return src
    ? // loading and decoding before src: Chromium starts the fetch when src is set, so lazy set after it comes too late.
      h('img', { class: 'img', loading: 'lazy', decoding: 'async', width: 400, height: 300, alt, src })
    : h('div', { class: 'img', role: 'img', 'aria-label': alt });
}

/** A labelled quantity field (1 to 99) holding `value`; the label text is visible. */
export function quantityField(value: number): { label: HTMLLabelElement; input: HTMLInputElement } {
  const input = h('input', {
    type: 'number',
    min: 1,
    max: 99,
    step: 1,
    inputmode: 'numeric',
    required: true,
    value,
    'data-quantity': true,
  });
  return { label: h('label', {}, 'Quantity', input), input };
}

/** Reads a quantity field, throwing a message for the visitor when it is not a whole number from 1 to 99. */
export function readQuantity(input: HTMLInputElement): number {
  const quantity = Number(input.value);
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > 99) throw new Error('Please enter a quantity from 1 to 99.');
  return quantity;
}
