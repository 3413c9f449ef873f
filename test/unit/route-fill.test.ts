import { fillRoute } from '../support/route-enumeration';

// The attack suites build every URL with fillRoute; a value it cannot place would throw inside a
// property run and fail CI on a harmless input (fast-check found "*" for :gateway).
describe('fillRoute', () => {
  const values = (name: string): string | undefined => ({ id: 'c-1', gateway: 'stripe', '*': 'widget.js' })[name];

  it('fills every parameter and a static mount wildcard', () => {
    expect(fillRoute({ method: 'GET', path: '/api/carts/:id' }, values)).toBe('/api/carts/c-1');
    expect(fillRoute({ method: 'GET', path: '/embed/*' }, values)).toBe('/embed/widget.js');
  });

  it('keeps a value that ends in "/*" as a value, never as a wildcard to fill', () => {
    const hostile = (name: string): string | undefined => (name === 'gateway' ? '*' : undefined);
    expect(fillRoute({ method: 'POST', path: '/webhooks/:gateway' }, hostile)).toBe('/webhooks/*');
    expect(fillRoute({ method: 'POST', path: '/webhooks/:gateway' }, () => 'a/*')).toBe('/webhooks/a%2F*');
  });

  it('throws when a parameter has no value, so a new route cannot be skipped silently', () => {
    expect(() => fillRoute({ method: 'GET', path: '/api/orders/:orderId' }, values)).toThrow('no real value for :orderId');
    expect(() => fillRoute({ method: 'GET', path: '/static/*' }, () => undefined)).toThrow('no real value for *');
  });
});
