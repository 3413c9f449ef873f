import { Router, type Response } from 'express';
import Joi from 'joi';
import QRCode from 'qrcode';
import type { DataSource } from 'typeorm';
import { knownError, statusOf } from '../../http/error-handler';
import type { PageRenderer } from '../../http/page-renderer';
import { validate } from '../../validation';
import { adminContext, type AdminContext } from './admin-auth';
import { adminLayout } from '../admin-layout';
import { AdminUser } from '../admin-user.entity';
import { MAX_PASSWORD_LENGTH } from './password-hashing';
import { recoveryCodesLeft, totpState, type TotpEnrolment } from './totp-enrolment';

const startBody = Joi.object<{ password: string }>({
  password: Joi.string()
    .max(MAX_PASSWORD_LENGTH * 4)
    .required(),
});
const confirmBody = Joi.object<{ code: string }>({ code: Joi.string().trim().max(32).required() });
const disableBody = Joi.object<{ password: string }>({
  password: Joi.string()
    .max(MAX_PASSWORD_LENGTH * 4)
    .required(),
});

/** Dependencies of the account routes. */
export interface AccountRouteDeps {
  readonly dataSource: DataSource;
  readonly enrolment: TotpEnrolment;
  readonly pages: PageRenderer;
}

/** The QR code of an `otpauth://` URI as inline SVG markup (the admin's policy allows no scripts, and needs none for this). */
async function qrCodeSvg(uri: string): Promise<string> {
  const svg = await QRCode.toString(uri, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
  return svg.replace('<svg ', '<svg role="img" aria-label="QR code to scan with your authenticator app" width="200" height="200" ');
}

// Routes below the login guard: a logged-in admin is certain.
const loggedIn = (res: Response): AdminContext => adminContext(res)!;

/**
 * The admin's own account: `GET /admin/account` and its forms to set up, confirm and turn off
 * two-step login; the same as JSON at `POST /api/admin/account/totp`, `…/totp/confirm` `{ code }`
 * and `…/totp/disable` `{ password }`. Mount both below the login and CSRF guards, at `/account`.
 */
export function adminAccountRoutes(deps: AccountRouteDeps): { pages: Router; api: Router } {
  const { dataSource, enrolment, pages } = deps;

  async function renderAccount(
    res: Response,
    status: number,
    view: { error?: string; notice?: string; recoveryCodes?: string[] },
  ): Promise<void> {
    const context = loggedIn(res);
    // The session's copy of the account predates whatever this request just changed.
    const admin = await dataSource.getRepository(AdminUser).findOneByOrFail({ id: context.admin.id });
    const setup = enrolment.pendingSetup(admin);
    const data = {
      state: totpState(admin),
      enabledAt: admin.totpEnabledAt?.toISOString().slice(0, 10) ?? null,
      codesLeft: admin.totpEnabledAt ? await recoveryCodesLeft(dataSource, admin.id) : 0,
      secretGroups: setup ? setup.secret.match(/.{1,4}/g)!.join(' ') : null,
      qrSvg: setup ? await qrCodeSvg(setup.otpauthUrl) : null,
      recoveryCodes: view.recoveryCodes ?? null,
      error: view.error ?? null,
      notice: view.notice ?? null,
      csrfToken: context.session.csrfToken,
    };
    res
      .status(status)
      .type('html')
      .send(pages.render('admin/account', 'Account', data, adminLayout(res, 'account')));
  }

  /** Runs a form's action; a refusal (wrong code, wrong password, invalid form) is shown on the account page. */
  async function formAction(res: Response, action: () => Promise<void>): Promise<void> {
    try {
      await action();
    } catch (err) {
      const known = knownError(err);
      const status = statusOf(known);
      if (!known || status >= 500) throw err;
      await renderAccount(res, status, { error: known.message });
    }
  }

  const pageRouter = Router();
  pageRouter.get('/', async (req, res) => {
    await renderAccount(res, 200, req.query.off !== undefined ? { notice: 'Two-step login is off.' } : {});
  });
  pageRouter.post('/totp', (req, res) =>
    formAction(res, async () => {
      const { password } = validate(startBody, req.body, 'form');
      await enrolment.start(loggedIn(res).admin, password, req.ip ?? '');
      res.redirect(303, '/admin/account');
    }),
  );
  pageRouter.post('/totp/confirm', (req, res) =>
    formAction(res, async () => {
      const { code } = validate(confirmBody, req.body, 'form');
      const recoveryCodes = await enrolment.confirm(loggedIn(res).admin, code, req.ip ?? '');
      await renderAccount(res, 200, { notice: 'Two-step login is on.', recoveryCodes });
    }),
  );
  pageRouter.post('/totp/disable', (req, res) =>
    formAction(res, async () => {
      const { password } = validate(disableBody, req.body, 'form');
      await enrolment.disable(loggedIn(res).admin, password, req.ip ?? '');
      res.redirect(303, '/admin/account?off');
    }),
  );

  const apiRouter = Router();
  apiRouter.post('/totp', async (req, res) => {
    const { password } = validate(startBody, req.body);
    res.json(await enrolment.start(loggedIn(res).admin, password, req.ip ?? ''));
  });
  apiRouter.post('/totp/confirm', async (req, res) => {
    const { code } = validate(confirmBody, req.body);
    res.json({ recoveryCodes: await enrolment.confirm(loggedIn(res).admin, code, req.ip ?? '') });
  });
  apiRouter.post('/totp/disable', async (req, res) => {
    const { password } = validate(disableBody, req.body);
    await enrolment.disable(loggedIn(res).admin, password, req.ip ?? '');
    res.status(204).end();
  });

  return { pages: pageRouter, api: apiRouter };
}
