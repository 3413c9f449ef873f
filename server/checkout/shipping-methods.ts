import { fromMajorUnits, type Money } from '../money';

export const SHIPPING_METHOD_IDS = ['standard', 'express'] as const;
export type ShippingMethodId = (typeof SHIPPING_METHOD_IDS)[number];

export interface ShippingMethod {
  readonly id: ShippingMethodId;
  readonly label: string;
  readonly price: Money;
}

const MAJOR_UNIT_PRICES: Readonly<Record<ShippingMethodId, { label: string; major: number }>> = {
  standard: { label: 'Standard (3–5 working days)', major: 5 },
  express: { label: 'Express (next working day)', major: 15 },
};

/** The shipping methods offered, priced in the store currency. */
export function shippingMethods(currency: string): ShippingMethod[] {
  return SHIPPING_METHOD_IDS.map((id) => ({
    id,
    label: MAJOR_UNIT_PRICES[id].label,
    price: fromMajorUnits(MAJOR_UNIT_PRICES[id].major, currency),
  }));
}

export function shippingMethod(id: ShippingMethodId, currency: string): ShippingMethod {
  const method = shippingMethods(currency).find((m) => m.id === id);
  if (!method) throw new RangeError(`Unknown shipping method ${id}`);
  return method;
}
