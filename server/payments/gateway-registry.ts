import { DomainError } from '../domain-error';
import type { BrowserOrigins, GatewayId, PaymentGateway } from './payment-gateway';

/** The gateways this store offers at checkout, in the order they are shown. */
export class GatewayRegistry {
  private readonly byId: ReadonlyMap<string, PaymentGateway>;

  constructor(private readonly gateways: readonly PaymentGateway[]) {
    this.byId = new Map(gateways.map((g) => [g.id, g]));
  }

  offered(): readonly PaymentGateway[] {
    return this.gateways;
  }

  has(id: string): id is GatewayId {
    return this.byId.has(id);
  }

  /** The gateway with this id; 404 when the store does not offer it. */
  get(id: string): PaymentGateway {
    const gateway = this.byId.get(id);
    if (!gateway) throw new DomainError('not_found', 'gateway_not_offered', `This store does not take payments through "${id}"`);
    return gateway;
  }

  /** Every origin the checkout page must allow for the offered gateways (CSP). */
  browserOrigins(): BrowserOrigins {
    const merge = (pick: (o: BrowserOrigins) => readonly string[]) => [...new Set(this.gateways.flatMap((g) => pick(g.browserOrigins)))];
    return {
      scripts: merge((o) => o.scripts),
      frames: merge((o) => o.frames),
      navigations: merge((o) => o.navigations),
      connections: merge((o) => o.connections),
      styles: merge((o) => o.styles ?? []),
    };
  }
}
