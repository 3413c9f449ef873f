// Draws the padlock only when the browser itself says the page is a secure context served over
// HTTPS; otherwise shows a warning instead. The badge is hidden in the HTML, so a page that is
// not secure (or has no script) never claims to be.
const secure = window.isSecureContext && window.location.protocol === 'https:';
const show = (selector: string) => document.querySelector<HTMLElement>(selector)?.removeAttribute('hidden');
show(secure ? '[data-secure-badge]' : '[data-insecure-warning]');
