import type { IncomingMessage } from 'node:http';
import { notModified } from '../../server/http/prepared-response';

const ETAG = '"abc123"';
const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

describe('notModified', () => {
  it('matches the tag, its weak form, one of a list, and *', () => {
    expect(notModified(req({ 'if-none-match': ETAG }), ETAG)).toBe(true);
    expect(notModified(req({ 'if-none-match': `W/${ETAG}` }), ETAG)).toBe(true);
    expect(notModified(req({ 'if-none-match': `"x", ${ETAG}` }), ETAG)).toBe(true);
    expect(notModified(req({ 'if-none-match': '*' }), ETAG)).toBe(true);
  });

  it('does not match another tag, no header, or a request asking for no-cache', () => {
    expect(notModified(req({ 'if-none-match': '"abc1234"' }), ETAG)).toBe(false);
    expect(notModified(req({}), ETAG)).toBe(false);
    expect(notModified(req({ 'if-none-match': ETAG, 'cache-control': 'no-cache' }), ETAG)).toBe(false);
  });
});
