import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One Content-Security-Policy violation a browser reported from a payment page. URLs are kept
 * without their query or fragment; the table keeps only the most recent reports (see
 * `CspViolations`).
 */
@Entity({ name: 'csp_violations' })
export class CspViolation {
  @PrimaryGeneratedColumn()
  id!: number;

  /** The page the violation happened on (origin and path). */
  @Column({ type: 'varchar', length: 500 })
  page!: string;

  /** The effective directive, e.g. `script-src-elem`. */
  @Column({ type: 'varchar', length: 64 })
  directive!: string;

  /** What was blocked: a URL (origin and path) or a keyword such as `inline` or `eval`. */
  @Column({ type: 'varchar', length: 500, name: 'blocked_url' })
  blockedUrl!: string;

  /** The script that caused it, when the browser says. */
  @Column({ type: 'varchar', length: 500, name: 'source_file', nullable: true })
  sourceFile!: string | null;

  /** `enforce` (blocked) or `report` (report-only policy). */
  @Column({ type: 'varchar', length: 16 })
  disposition!: string;

  @CreateDateColumn({ type: 'datetime', name: 'created_at' })
  createdAt!: Date;
}
