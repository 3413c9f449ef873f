import type { Response } from 'express';
import { adminContext } from './auth/admin-auth';

/** Render options for an admin page: the admin layout, its navigation state and the logout form's token. */
export function adminLayout(res: Response, section: string): { layout: string; layoutData: object } {
  const context = adminContext(res);
  return {
    layout: 'admin/layout',
    layoutData: { section, adminEmail: context?.admin.email ?? null, csrfToken: context?.session.csrfToken ?? '' },
  };
}

/** `2026-11-25 14:03 UTC`: admins compare times across the timeline, the log and the gateway's dashboard. */
export const adminTime = (at: Date): string => `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
