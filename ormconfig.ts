import { DataSource } from 'typeorm';
import { loadConfig } from './server/config';
import { dataSourceOptions } from './server/database';

/** The store's DataSource as the TypeORM CLI sees it (`npx typeorm -d dist/ormconfig.js migration:show`). */
export default new DataSource(dataSourceOptions(loadConfig().database));
