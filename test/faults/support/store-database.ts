import mysql from 'mysql2/promise';

/** Direct SQL on a store's MariaDB database (the test reads what the store committed); a pool, so it outlives a database restart. */
export class StoreDatabase {
  private constructor(private readonly conn: mysql.Pool) {}

  static async open(url: string): Promise<StoreDatabase> {
    const pool = mysql.createPool({ uri: url, connectTimeout: 5000, connectionLimit: 2 });
    await pool.query('SELECT 1');
    return new StoreDatabase(pool);
  }

  async rows<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    const [rows] = await this.conn.query(sql, params);
    return rows as T[];
  }

  /** The order a checkout placed: its id, public id and status. */
  async orderOf(token: string): Promise<{ id: number; publicId: string; status: string }> {
    const [row] = await this.rows<{ id: number; public_id: string; status: string }>(
      'SELECT o.id, o.public_id, o.status FROM orders o JOIN checkouts c ON c.order_id = o.id WHERE c.id = ?',
      [token],
    );
    if (!row) throw new Error(`no order for checkout ${token}`);
    return { id: Number(row.id), publicId: row.public_id, status: row.status };
  }

  close(): Promise<void> {
    return this.conn.end();
  }
}
