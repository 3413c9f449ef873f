import type { DataSource, EntityManager } from 'typeorm';
import { bumpCatalogVersion } from '../../catalog/catalog-version';
import { Product } from '../../catalog/product.entity';
import { inTransaction } from '../../db/transaction';
import { conflict, type DomainError, isDomainError, notFound, type ErrorDetail } from '../../domain-error';
import { money, toDecimalString } from '../../money';
import type { AdminActor } from '../admin-actor';
import { recordAudit } from '../audit-log';
import { PRODUCT_LIMITS, SLUG_PATTERN, type ProductChanges, type ProductFields } from './product-fields';

/** The audit target of a product: its slug, or `(new)` when the typed one is not a slug at all. */
export function productTarget(slug: unknown): string {
  return `product ${typeof slug === 'string' && SLUG_PATTERN.test(slug.trim()) ? slug.trim() : '(new)'}`;
}

/** `:id` of a product URL; anything but a positive whole number names no product (404). */
export function productIdParam(raw: unknown): number {
  if (typeof raw !== 'string' || !/^[1-9]\d{0,9}$/.test(raw)) throw notFound('Product');
  return Number(raw);
}

/** Product columns an admin may set. */
type Editable = Pick<
  Product,
  'slug' | 'name' | 'description' | 'price' | 'currency' | 'image' | 'stock' | 'active' | 'category' | 'position'
>;

const slugTaken = (slug: string): DomainError =>
  conflict('slug_taken', `Another product already uses the slug "${slug}"; choose another.`, [
    { path: 'slug', message: `Another product already uses the slug "${slug}"; choose another.` },
  ]);

const stockChanged = (shown: number, now: number): DomainError => {
  const message = `While you edited, orders changed the stock from ${shown} to ${now}. Check the figure and save again.`;
  return conflict('stock_changed', message, [{ path: 'stock', message }]);
};

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: unknown; driverError?: { code?: unknown } };
  const code = e?.driverError?.code ?? e?.code;
  return code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

const priceText = (amount: number, currency: string) => `${toDecimalString(money(amount, currency))} ${currency}`;

/** The columns a change would really alter, each with how the audit log describes it. */
function diff(before: Product, changes: ProductChanges): { set: Partial<Editable>; said: string[] } {
  const set: Partial<Editable> = {};
  const said: string[] = [];
  const plain = ['slug', 'name', 'stock', 'image', 'category', 'position'] as const;
  if (changes.price && (changes.price.amount !== before.price || changes.price.currency !== before.currency)) {
    set.price = changes.price.amount;
    set.currency = changes.price.currency;
    said.push(`price ${priceText(before.price, before.currency)} → ${priceText(changes.price.amount, changes.price.currency)}`);
  }
  for (const key of plain) {
    const value = changes[key];
    if (value === undefined || value === before[key]) continue;
    Object.assign(set, { [key]: value });
    said.push(`${key} ${JSON.stringify(before[key])} → ${JSON.stringify(value)}`);
  }
  if (changes.description !== undefined && changes.description !== before.description) {
    set.description = changes.description;
    said.push('description changed');
  }
  if (changes.active !== undefined && changes.active !== before.active) {
    set.active = changes.active;
    said.push(changes.active ? 'activated' : 'deactivated');
  }
  return { set, said };
}

/**
 * The admin's product management: every product, active or not, and creating and changing them.
 * Each write and its audit entry commit together; a refused change is audited as a failure.
 */
export class AdminProducts {
  constructor(private readonly dataSource: DataSource) {}

  /** Every product in catalog order (position, then id). */
  list(): Promise<Product[]> {
    return this.dataSource.getRepository(Product).find({ order: { position: 'ASC', id: 'ASC' } });
  }

  /** One product, active or not; 404 when there is none. */
  async find(id: number): Promise<Product> {
    const product = await this.dataSource.getRepository(Product).findOneBy({ id });
    if (!product) throw notFound(`Product ${id}`);
    return product;
  }

  /** Creates a product (last in the catalog unless a position is given); 409 when the slug is taken. */
  async create(fields: ProductFields, actor: AdminActor): Promise<Product> {
    const target = `product ${fields.slug}`;
    return this.audited(actor, 'product.create', target, fields.slug, () =>
      inTransaction(this.dataSource, async (manager) => {
        if (await manager.existsBy(Product, { slug: fields.slug })) throw slugTaken(fields.slug);
        const { identifiers } = await manager.insert(Product, {
          slug: fields.slug,
          name: fields.name,
          description: fields.description,
          price: fields.price.amount,
          currency: fields.price.currency,
          image: fields.image,
          stock: fields.stock,
          active: fields.active,
          category: fields.category,
          position: fields.position ?? (await nextPosition(manager)),
        });
        await bumpCatalogVersion(manager);
        const created = await manager.findOneByOrFail(Product, { id: identifiers[0].id as number });
        const detail = `created: price ${priceText(created.price, created.currency)}; stock ${created.stock}; ${created.active ? 'active' : 'inactive'}`;
        await recordAudit(manager, {
          adminId: actor.adminId,
          actor: actor.email,
          action: 'product.create',
          target,
          outcome: 'success',
          detail,
          ip: actor.ip,
        });
        return created;
      }),
    );
  }

  /**
   * Applies a change to product `id` and returns the product as it now is. 404 when there is no
   * such product; 409 when the new slug is taken, or when `expectedStock` no longer holds.
   */
  async update(id: number, changes: ProductChanges, actor: AdminActor): Promise<Product> {
    const before = await this.find(id);
    return this.audited(actor, 'product.update', `product ${before.slug}`, changes.slug ?? before.slug, () =>
      inTransaction(this.dataSource, async (manager) => {
        const current = await manager.findOneBy(Product, { id });
        if (!current) throw notFound(`Product ${id}`);
        const { set, said } = diff(current, changes);
        if (set.slug !== undefined && (await manager.existsBy(Product, { slug: set.slug }))) throw slugTaken(set.slug);
        const guardStock = set.stock !== undefined && changes.expectedStock !== undefined;
        if (guardStock && current.stock !== changes.expectedStock) throw stockChanged(changes.expectedStock, current.stock);
        if (said.length > 0) {
          const update = manager.createQueryBuilder().update(Product).set(set).where('id = :id', { id });
          // Reservations do not wait for this transaction's read: the stock is checked again as it is written.
          if (guardStock) update.andWhere('stock = :expectedStock', { expectedStock: changes.expectedStock });
          const result = await update.execute();
          if (result.affected === 0) throw stockChanged(changes.expectedStock!, (await manager.findOneByOrFail(Product, { id })).stock);
          await bumpCatalogVersion(manager);
        }
        const detail = said.length > 0 ? said.join('; ') : 'no changes';
        await recordAudit(manager, {
          adminId: actor.adminId,
          actor: actor.email,
          action: 'product.update',
          target: `product ${current.slug}`,
          outcome: 'success',
          detail,
          ip: actor.ip,
        });
        return manager.findOneByOrFail(Product, { id });
      }),
    );
  }

  /** Audits input refused before it reached {@link create} or {@link update}, with what was wrong. */
  async refused(actor: AdminActor, action: string, target: string, problems: readonly ErrorDetail[]): Promise<void> {
    const detail = `refused: ${problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('; ')}`;
    await inTransaction(this.dataSource, (manager) =>
      recordAudit(manager, { adminId: actor.adminId, actor: actor.email, action, target, outcome: 'failure', detail, ip: actor.ip }),
    );
  }

  /** Runs a write; a conflict (including `slug` taken by a concurrent write) is audited as a failure. */
  private async audited<T>(actor: AdminActor, action: string, target: string, slug: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (err) {
      const refusal = isUniqueViolation(err) ? slugTaken(slug) : err;
      if (isDomainError(refusal, 'conflict')) await this.refused(actor, action, target, [{ path: '', message: refusal.message }]);
      throw refusal;
    }
  }
}

async function nextPosition(manager: EntityManager): Promise<number> {
  const row = await manager
    .createQueryBuilder(Product, 'p')
    .select('MAX(p.position)', 'last')
    .getRawOne<{ last: number | string | null }>();
  const last = row?.last === null || row?.last === undefined ? -1 : Number(row.last);
  return Math.min(last + 1, PRODUCT_LIMITS.position);
}
