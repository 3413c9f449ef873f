import type { IncomingMessage, ServerResponse } from 'node:http';
import { secureRequests, withCachedReads } from '../../server/http/cached-read-lane';

const request = (encrypted: boolean, forwardedProto?: string): IncomingMessage =>
  ({
    socket: { encrypted, remoteAddress: '10.0.0.2' },
    headers: forwardedProto === undefined ? {} : { 'x-forwarded-proto': forwardedProto },
  }) as unknown as IncomingMessage;

describe('secureRequests: HTTPS decided as Express decides req.secure', () => {
  it('without a trusted proxy, only the connection counts', () => {
    const secure = secureRequests(() => false);
    expect([secure(request(true)), secure(request(true, 'http')), secure(request(false, 'https'))]).toEqual([true, true, false]);
  });

  it("behind a trusted proxy, the first X-Forwarded-Proto value counts, else the connection's own", () => {
    const secure = secureRequests((address, hop) => address === '10.0.0.2' && hop === 0);
    expect(secure(request(false, 'https'))).toBe(true);
    expect(secure(request(false, ' https , http'))).toBe(true);
    expect(secure(request(true, 'http'))).toBe(false);
    expect(secure(request(false, 'HTTPS'))).toBe(false);
    expect([secure(request(true)), secure(request(false))]).toEqual([true, false]);
  });
});

describe('withCachedReads', () => {
  const res = (headersSent: boolean) => ({ headersSent, destroy: jest.fn() }) as unknown as ServerResponse & { destroy: jest.Mock };

  it('hands what the lane leaves to the app, and nothing it answered', () => {
    const app = jest.fn();
    withCachedReads(() => false, app)(request(true), res(false));
    withCachedReads(() => true, app)(request(true), res(true));
    expect(app).toHaveBeenCalledTimes(1);
  });

  it('lets the app answer when the lane throws before writing, and cuts an answer it had started', () => {
    const app = jest.fn();
    const failing = () => {
      throw new Error('invalid header');
    };
    withCachedReads(failing, app)(request(true), res(false));
    expect(app).toHaveBeenCalledTimes(1);
    const started = res(true);
    withCachedReads(failing, app)(request(true), started);
    expect(app).toHaveBeenCalledTimes(1);
    expect(started.destroy).toHaveBeenCalledWith(expect.objectContaining({ message: 'invalid header' }));
  });
});
