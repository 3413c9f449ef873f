import { Eta } from 'eta';
import { PATHS } from '../paths';

/**
 * Server-rendered HTML pages. Eta escapes every `<%= %>` output by default; raw output (`<%~ %>`)
 * is used only for already-rendered partials.
 */
export class PageRenderer {
  private readonly eta = new Eta({ views: PATHS.views, autoEscape: true, cache: true });

  constructor(private readonly storeName: string) {}

  /** Renders a view on its own: an HTML fragment for another page (the blog) to embed. */
  renderFragment(view: string, data: object): string {
    return this.eta.render(`./${view}`, data);
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
    const body = this.eta.render(`./${view}`, data);
    return this.eta.render(`./${options.layout ?? 'layout'}`, {
      ...options.layoutData,
      title,
      storeName: this.storeName,
      body,
      refreshSeconds: options.refreshSeconds ?? null,
    });
  }
}
