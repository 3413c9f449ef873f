import type { RequestHandler } from 'express';
import type { DataSource } from 'typeorm';

/** Longer than a healthy round trip to the database, shorter than a load balancer's check interval. */
const READY_TIMEOUT_MS = 1500;

/**
 * `GET /readyz` for load balancers: 200 while this instance reaches its database, 503 when it
 * does not (its database node left the cluster, or the database is down), so that the balancer
 * sends traffic to the other instances meanwhile. `/healthz` stays the liveness check.
 */
export function databaseReadiness(dataSource: DataSource): RequestHandler {
  return (_req, res) => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error('database did not answer in time')), READY_TIMEOUT_MS);
    });
    Promise.race([dataSource.query('SELECT 1'), timeout])
      .then(
        () => res.json({ status: 'ready' }),
        () => res.status(503).json({ status: 'database unavailable' }),
      )
      .finally(() => clearTimeout(timer));
  };
}
