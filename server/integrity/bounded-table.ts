import type { EntityManager, EntityTarget } from 'typeorm';

/**
 * Keeps only the newest `limit` rows of a table whose `id` increases, deleting the older ones,
 * so a table written by anyone on the internet (or by a cron job) stays a fixed size.
 */
export async function keepNewest(manager: EntityManager, entity: EntityTarget<{ id: number }>, limit: number): Promise<void> {
  const oldestKept = await manager
    .createQueryBuilder(entity, 't')
    .select('t.id', 'id')
    .orderBy('t.id', 'DESC')
    .offset(limit - 1)
    .limit(1)
    .getRawOne<{ id: number | string }>();
  if (oldestKept)
    await manager
      .createQueryBuilder()
      .delete()
      .from(entity)
      .where('id < :id', { id: Number(oldestKept.id) })
      .execute();
}
