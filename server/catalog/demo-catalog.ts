import type { DataSource } from 'typeorm';
import { fromMajorUnits } from '../money';
import { bumpCatalogVersion } from './catalog-version';
import { Product } from './product.entity';
import { inTransaction } from '../db/transaction';

interface DemoProduct {
  readonly slug: string;
  readonly name: string;
  readonly description: string;
  /** Whole major units of the store currency. */
  readonly price: number;
  readonly stock: number;
  readonly category: string;
}

const DEMO_PRODUCTS: readonly DemoProduct[] = [
  {
    slug: 'field-notebook',
    name: 'Field Notebook',
    description: 'A pocket notebook with 64 dotted pages and a stitched spine that lies flat.',
    price: 12,
    stock: 40,
    category: 'stationery',
  },
  {
    slug: 'enamel-mug',
    name: 'Enamel Mug',
    description: 'A light enamel mug for coffee at the desk or on the trail. Holds 350 ml.',
    price: 18,
    stock: 25,
    category: 'home',
  },
  {
    slug: 'canvas-tote-bag',
    name: 'Canvas Tote Bag',
    description: 'Heavy cotton canvas with long handles and an inside pocket.',
    price: 22,
    stock: 30,
    category: 'apparel',
  },
  {
    slug: 'sticker-pack',
    name: 'Sticker Pack',
    description: 'Eight weatherproof vinyl stickers for laptops, bottles and notebooks.',
    price: 6,
    stock: 100,
    category: 'stationery',
  },
  {
    slug: 'risograph-poster',
    name: 'Risograph Poster',
    description: 'A two-colour A3 print on recycled paper, signed and numbered.',
    price: 30,
    stock: 12,
    category: 'home',
  },
  {
    slug: 'fineliner-pen-set',
    name: 'Fineliner Pen Set',
    description: 'Five archival-ink fineliners in graded tip sizes.',
    price: 15,
    stock: 35,
    category: 'stationery',
  },
  {
    slug: 'brass-bookmark',
    name: 'Brass Bookmark',
    description: 'A slim etched-brass bookmark that ages to a warm patina.',
    price: 9,
    stock: 50,
    category: 'stationery',
  },
  {
    slug: 'organic-t-shirt',
    name: 'Organic T-Shirt',
    description: 'A soft organic-cotton t-shirt with a small embroidered padlock.',
    price: 28,
    stock: 3,
    category: 'apparel',
  },
];

const IMAGE_BY_SLUG: Readonly<Record<string, string>> = {
  'field-notebook': '/images/notebook.svg',
  'enamel-mug': '/images/mug.svg',
  'canvas-tote-bag': '/images/tote-bag.svg',
  'sticker-pack': '/images/sticker-pack.svg',
  'risograph-poster': '/images/poster.svg',
  'fineliner-pen-set': '/images/pen-set.svg',
  'brass-bookmark': '/images/bookmark.svg',
  'organic-t-shirt': '/images/t-shirt.svg',
};

const SEEDED_FLAG = 'demo-catalog-seeded';

/**
 * Seeds the demo catalog once into a store that has no products. A flag row, whose primary key
 * makes it unique, records the seeding in the same transaction, so neither a restart nor several
 * instances starting together can seed twice. Returns whether this call seeded.
 */
export async function seedDemoCatalog(dataSource: DataSource, currency: string): Promise<boolean> {
  try {
    return await seedOnce(dataSource, currency);
  } catch (err) {
    // Another instance seeding at the same moment wins the flag's primary key; that is success.
    if (await isFlagSet(dataSource)) return false;
    throw err;
  }
}

async function isFlagSet(dataSource: DataSource): Promise<boolean> {
  const rows: unknown[] = await dataSource.query('SELECT name FROM store_flags WHERE name = ?', [SEEDED_FLAG]);
  return rows.length > 0;
}

async function seedOnce(dataSource: DataSource, currency: string): Promise<boolean> {
  return inTransaction(dataSource, async (manager) => {
    const alreadySeeded: unknown[] = await manager.query('SELECT name FROM store_flags WHERE name = ?', [SEEDED_FLAG]);
    if (alreadySeeded.length > 0) return false;
    if ((await manager.count(Product)) > 0) return false;
    await manager.query('INSERT INTO store_flags (name) VALUES (?)', [SEEDED_FLAG]);
    await manager.insert(
      Product,
      DEMO_PRODUCTS.map((p, index) => ({
        slug: p.slug,
        name: p.name,
        description: p.description,
        price: fromMajorUnits(p.price, currency).amount,
        currency,
        image: IMAGE_BY_SLUG[p.slug] ?? null,
        stock: p.stock,
        active: true,
        position: index,
        category: p.category,
      })),
    );
    await bumpCatalogVersion(manager);
    return true;
  });
}
