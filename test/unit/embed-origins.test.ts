import { isAllowedOrigin, isAllowedReturnUrl } from '../../server/embed-origins';

const PUBLIC_URL = 'https://shop.example.com';
const EMBED = ['https://blog.example', 'http://localhost:*'];

describe('isAllowedOrigin', () => {
  it('allows an exactly configured origin', () => {
    expect(isAllowedOrigin('https://blog.example', PUBLIC_URL, EMBED)).toBe(true);
  });

  it.each(['http://blog.example', 'https://blog.example:8443', 'https://www.blog.example', 'https://blog.example.evil.com'])(
    'refuses %s, which differs from the configured origin',
    (origin) => {
      expect(isAllowedOrigin(origin, PUBLIC_URL, EMBED)).toBe(false);
    },
  );

  it.each(['http://localhost:3000', 'http://localhost:8080', 'http://localhost'])('lets http://localhost:* match %s', (origin) => {
    expect(isAllowedOrigin(origin, PUBLIC_URL, EMBED)).toBe(true);
  });

  it.each(['https://localhost:3000', 'http://127.0.0.1:3000', 'http://localhost.evil.com:3000', 'http://notlocalhost:3000'])(
    'does not let http://localhost:* match %s',
    (origin) => {
      expect(isAllowedOrigin(origin, PUBLIC_URL, EMBED)).toBe(false);
    },
  );

  it("always allows the store's own origin", () => {
    expect(isAllowedOrigin('https://shop.example.com', PUBLIC_URL, [])).toBe(true);
    expect(isAllowedOrigin('https://shop.example.com:8443', 'https://shop.example.com:8443', [])).toBe(true);
  });

  it('refuses everything else when no embed origins are configured', () => {
    expect(isAllowedOrigin('https://blog.example', PUBLIC_URL, [])).toBe(false);
  });

  it('refuses the opaque null origin', () => {
    expect(isAllowedOrigin('null', PUBLIC_URL, [...EMBED, 'null'])).toBe(false);
  });

  it.each(['', 'garbage', '://blog.example', 'blog.example'])('refuses the garbage origin %p', (origin) => {
    expect(isAllowedOrigin(origin, PUBLIC_URL, EMBED)).toBe(false);
  });
});

describe('isAllowedReturnUrl', () => {
  it.each([
    'https://blog.example/shop',
    'https://blog.example/posts/mugs?utm=1#buy',
    'http://localhost:4000/preview?id=7',
    'https://shop.example.com/orders/abc',
  ])('allows the page %s', (url) => {
    expect(isAllowedReturnUrl(url, PUBLIC_URL, EMBED)).toBe(true);
  });

  it.each([
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a javascript: URL shaped like the allowed origin', 'javascript://blog.example/%0Aalert(1)'],
    ['a data: URL', 'data:text/html,<script>alert(1)</script>'],
    ['a URL with username and password', 'https://u:p@blog.example/'],
    ['a URL with a username', 'https://u@blog.example/'],
    ['a page on another origin', 'https://evil.example/shop'],
    ['a page on the allowed host over another scheme', 'http://blog.example/shop'],
    ['a relative URL', '/shop'],
    ['garbage', 'not a url'],
  ])('refuses %s', (_label, url) => {
    expect(isAllowedReturnUrl(url, PUBLIC_URL, EMBED)).toBe(false);
  });
});
