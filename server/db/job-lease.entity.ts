import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Who runs a periodic job until when, so that one instance among several runs it per interval. */
@Entity({ name: 'job_leases' })
export class JobLease {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  name!: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  holder!: string | null;

  @Column({ type: 'datetime', name: 'lease_until' })
  leaseUntil!: Date;
}
