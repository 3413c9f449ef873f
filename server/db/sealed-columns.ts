import { IsNull, Not, type DataSource, type EntityTarget, type FindOptionsWhere, type ObjectLiteral } from 'typeorm';
import { isSealed, SecretUnreadableError, type SecretKeyring } from './secret-envelope';
import { withSecretParameters } from './secret-query';
import { inTransaction } from './transaction';

/**
 * A column that holds secrets sealed by a {@link SecretKeyring}: the entity, its key property,
 * the secret's property, and the `table.column` name every value's context starts with.
 */
export interface SealedColumn<E extends ObjectLiteral> {
  readonly entity: EntityTarget<E>;
  readonly key: keyof E & string;
  readonly property: keyof E & string;
  readonly name: string;
}

/** The context a row's value is sealed for (`admin_users.totp_secret:7`): a value moved to another row does not open. */
export const sealContext = <E extends ObjectLiteral>(column: SealedColumn<E>, key: string | number): string => `${column.name}:${key}`;

/**
 * The plain secret of a stored value: opened with the keyring, or taken as it is when it was
 * stored before secrets were encrypted (the start-up sweep seals those). Throws
 * {@link SecretUnreadableError} when no configured key opens it.
 */
export function openStored<E extends ObjectLiteral>(
  keyring: SecretKeyring,
  column: SealedColumn<E>,
  key: string | number,
  stored: string,
): string {
  return isSealed(stored) ? keyring.open(stored, sealContext(column, key)) : stored;
}

/** What a sweep over the sealed columns did. */
export interface ResealReport {
  /** Plain values (from before encryption) now sealed under the current key. */
  readonly sealed: number;
  /** Values sealed under a previous key, now sealed under the current one (rotation only). */
  readonly resealed: number;
  /** Contexts of the values no configured key opens (left as they are). */
  readonly unreadable: readonly string[];
}

/**
 * Seals every plain value in `columns` under the current key; with `rotate`, also opens every
 * value sealed under a previous key and seals it again under the current one. Values that no
 * configured key opens are reported, not touched. Each value is
 * replaced only if it is still the one read (a row changed meanwhile keeps its new value), so it
 * is safe while stores are running, and running it again changes nothing.
 */
export async function resealColumns(
  dataSource: DataSource,
  keyring: SecretKeyring,
  columns: readonly SealedColumn<ObjectLiteral>[],
  rotate: boolean,
): Promise<ResealReport> {
  let sealed = 0;
  let resealed = 0;
  const unreadable: string[] = [];
  for (const column of columns) {
    const rows = await dataSource.getRepository(column.entity).find({
      select: { [column.key]: true, [column.property]: true },
      where: { [column.property]: Not(IsNull()) } as FindOptionsWhere<ObjectLiteral>,
    });
    for (const row of rows) {
      const key = row[column.key] as string | number;
      const stored = row[column.property] as string;
      if (keyring.sealedUnderCurrentKey(stored)) continue;
      let secret: string;
      try {
        secret = openStored(keyring, column, key, stored);
      } catch (err) {
        if (!(err instanceof SecretUnreadableError)) throw err;
        unreadable.push(sealContext(column, key));
        continue;
      }
      const plain = !isSealed(stored);
      if (!plain && !rotate) continue;
      const replaced = await withSecretParameters(() =>
        inTransaction(dataSource, (manager) =>
          manager
            .getRepository(column.entity)
            .update(
              { [column.key]: key, [column.property]: stored },
              { [column.property]: keyring.seal(secret, sealContext(column, key)) },
            ),
        ),
      );
      if (replaced.affected !== 1) continue;
      if (plain) sealed += 1;
      else resealed += 1;
    }
  }
  return { sealed, resealed, unreadable };
}
