import { Eta } from 'eta';
import { PATHS } from '../paths';

/**
 * Server-rendered HTML pages. Eta escapes every `<%= %>` output by default; raw output (`<%~ %>`)
 * is used only for already-rendered partials. Every view and layout gets `it.integrity(path)`,
 * the Subresource Integrity value of one of the store's built scripts.
 */
export class PageRenderer {
  private readonly eta = new Eta({ views: PATHS.views, autoEscape: true, cache: true });

  /**
   * @param integrity - the `integrity` value of one of the store's built scripts, by URL path
   *   (a `ScriptIntegrity` read from the build's manifest)
   */
  constructor(
    private readonly storeName: string,
    private readonly integrity: (urlPath: string) => string,
  ) {}

  /** Renders a view on its own: an HTML fragment for another page (the blog) to embed. */
  renderFragment(view: string, data: object): string {
    return this.eta.render(`./${view}`, { ...data, integrity: this.integrity });
  }

  /**
   * Renders a view inside a layout (the shopper's by default); `refreshSeconds` reloads the page
   * (no script needed); `layoutData` goes to the layout alone (e.g. the admin's navigation).
   */
  render(
    view: string,
    title: string,
    data: object,
    options: { refreshSeconds?: number; layout?: string; layoutData?: object } = {},
  ): string {
    const body = this.eta.render(`./${view}`, { ...data, integrity: this.integrity });
    return this.eta.render(`./${options.layout ?? 'layout'}`, {
      ...options.layoutData,
      integrity: this.integrity,
      title,
      storeName: this.storeName,
      body,
      refreshSeconds: options.refreshSeconds ?? null,
    });
  }
}
