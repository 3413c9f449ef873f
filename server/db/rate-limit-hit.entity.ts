import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * How many requests one client made to one rate limit in one fixed window. Every instance sharing
 * the database counts into the same row, so a limit holds across instances.
 */
@Entity({ name: 'rate_limit_hits' })
export class RateLimitHit {
  /** The limit's name (`cart_writes`, `admin_login`…). */
  @PrimaryColumn({ type: 'varchar', length: 32 })
  limiter!: string;

  /** SHA-256 (hex) of the limit's name and the client's key: addresses are not kept in clear. */
  @PrimaryColumn({ type: 'varchar', length: 64, name: 'client_key' })
  clientKey!: string;

  /** Start of the window, in milliseconds since the epoch (whole windows since the epoch, so all instances agree). */
  @PrimaryColumn({ type: 'bigint', name: 'window_start' })
  windowStart!: string;

  /** End of the window in milliseconds since the epoch; the sweep deletes rows past it. */
  @Column({ type: 'bigint', name: 'window_end' })
  windowEnd!: string;

  @Column({ type: 'integer' })
  hits!: number;
}
