import type { DataSource } from 'typeorm';
import { notFound } from '../domain-error';
import { Product } from './product.entity';
import { toProductView, type ProductView } from './product.view';

/** One page of the catalog. */
export interface ProductPage {
  readonly items: ProductView[];
  readonly total: number;
  readonly limit: number;
  readonly offset: number;
}

/** Reads the active catalog in a stable order (position, then id). */
export class CatalogService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly publicUrl: string,
  ) {}

  /** One page of the active products, of one category when `category` is given. */
  async list(limit: number, offset: number, category?: string): Promise<ProductPage> {
    const [products, total] = await this.dataSource.getRepository(Product).findAndCount({
      where: category === undefined ? { active: true } : { active: true, category },
      order: { position: 'ASC', id: 'ASC' },
      take: limit,
      skip: offset,
    });
    return { items: products.map((p) => toProductView(p, this.publicUrl)), total, limit, offset };
  }

  async bySlug(slug: string): Promise<ProductView> {
    const product = await this.findBySlug(slug);
    if (!product) throw notFound(`Product "${slug}"`);
    return product;
  }

  /** The active product with this slug, or null. */
  async findBySlug(slug: string): Promise<ProductView | null> {
    const product = await this.dataSource.getRepository(Product).findOneBy({ slug, active: true });
    return product ? toProductView(product, this.publicUrl) : null;
  }
}
