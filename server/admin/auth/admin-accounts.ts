import Joi from 'joi';
import type { DataSource } from 'typeorm';
import { inTransaction } from '../../db/transaction';
import { DomainError, invalidInput } from '../../domain-error';
import { AdminUser } from '../admin-user.entity';
import { normalizeEmail } from './admin-login';
import { hashPassword, passwordProblem } from './password-hashing';

const emailSchema = Joi.string().email({ tlds: false }).max(254).required();

/** Creates an admin account; 400 for a bad email or weak password, 409 when the email has one. */
export async function createAdmin(dataSource: DataSource, email: string, password: string): Promise<AdminUser> {
  const normalized = normalizeEmail(email);
  const { error } = emailSchema.validate(normalized);
  if (error) throw invalidInput(`"${email}" is not an email address.`);
  const problem = passwordProblem(password);
  if (problem) throw invalidInput(problem);
  const users = dataSource.getRepository(AdminUser);
  if (await users.existsBy({ email: normalized }))
    throw new DomainError('conflict', 'admin_exists', `There is already an admin with the email ${normalized}.`);
  const passwordHash = await hashPassword(password);
  await inTransaction(dataSource, (manager) => manager.insert(AdminUser, { email: normalized, passwordHash }));
  return users.findOneByOrFail({ email: normalized });
}

/** Whether the store has any admin account. */
export async function hasAdmins(dataSource: DataSource): Promise<boolean> {
  return (await dataSource.getRepository(AdminUser).count()) > 0;
}
