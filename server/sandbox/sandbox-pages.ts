import path from 'node:path';
import { Eta } from 'eta';
import { PATHS } from '../paths';
import type { SandboxRoutes } from './sandbox-app';

const SANDBOX_VIEWS = path.join(PATHS.root, 'server', 'sandbox', 'views');

/**
 * Renders a sandbox gateway's browser pages (escaping on by default) inside a layout whose banner
 * says, on every page, that this is a sandbox and no real payment happens.
 */
export class SandboxPages {
  private readonly eta = new Eta({ views: SANDBOX_VIEWS, autoEscape: true, cache: true });

  constructor(private readonly gatewayName: string) {}

  render(view: string, title: string, data: object, bodyClass = ''): string {
    const body = this.eta.render(`./${view}`, data);
    return this.eta.render('./sandbox-layout', { title, gatewayName: this.gatewayName, bodyClass, body });
  }
}

/** Serves `/sandbox.css` for the sandbox pages (their CSP allows only same-origin styles). */
export const stylesheetRoutes: SandboxRoutes<unknown> = (router) => {
  router.get('/sandbox.css', (_req, res) => {
    res.type('css').set('Cache-Control', 'public, max-age=300').sendFile(path.join(SANDBOX_VIEWS, 'sandbox.css'));
  });
};
