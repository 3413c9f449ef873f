import { QueryFailedError } from 'typeorm';
import { knownError, statusOf } from '../../server/http/error-handler';

const driverError = (code: string, fatal = false) => Object.assign(new Error(`driver says ${code}`), { code, fatal });

describe('a database that cannot be reached is answered 503, not 500', () => {
  it.each([
    ['ECONNREFUSED', true],
    ['ECONNRESET', true],
    ['PROTOCOL_CONNECTION_LOST', false],
    ['ER_SERVER_SHUTDOWN', false],
  ])('%s from the driver (fatal: %p)', (code, fatal) => {
    const known = knownError(driverError(code, fatal));
    expect(known).toMatchObject({ kind: 'unavailable', code: 'database_unavailable' });
    expect(known!.message).toMatch(/cannot reach its database/);
    expect(statusOf(known)).toBe(503);
  });

  it('inside the QueryFailedError TypeORM wraps it in', () => {
    const wrapped = new QueryFailedError('SELECT 1', [], driverError('PROTOCOL_CONNECTION_LOST'));
    expect(statusOf(knownError(wrapped))).toBe(503);
  });

  it('but a query the database refused stays an internal error', () => {
    expect(knownError(new QueryFailedError('INSERT …', [], driverError('ER_DUP_ENTRY')))).toBeUndefined();
    expect(knownError(new Error('boom'))).toBeUndefined();
  });

  it('and a network fault that is not the driver’s (a gateway call, a file) is not taken for one', () => {
    expect(knownError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBeUndefined();
    expect(knownError(Object.assign(new Error('no such file'), { code: 'ENOENT' }))).toBeUndefined();
  });
});
