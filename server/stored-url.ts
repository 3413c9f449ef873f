/**
 * A URL as the store keeps it: without its fragment. The fragment never reaches a server and is
 * not needed to return to a page, while a page reached through a script or a GET form may carry
 * there whatever a shopper typed; so no URL the store stores or shows again keeps one.
 */
export function withoutFragment(url: string): string {
  const hash = url.indexOf('#');
  return hash === -1 ? url : url.slice(0, hash);
}
