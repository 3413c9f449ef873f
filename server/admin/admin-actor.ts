import type { Request, Response } from 'express';
import { DomainError } from '../domain-error';
import { adminContext } from './auth/admin-auth';

/** Who acts, for the audit log. */
export interface AdminActor {
  readonly adminId: number;
  readonly email: string;
  readonly ip: string;
}

/** The logged-in admin of a request (the admin routers only run for one). */
export function adminActor(req: Request, res: Response): AdminActor {
  const context = adminContext(res);
  if (!context) throw new DomainError('unauthenticated', 'login_required', 'Log in to the admin first.');
  return { adminId: context.admin.id, email: context.admin.email, ip: req.ip ?? '' };
}
