import { InitialSchema1764100000000 } from './1764100000000-initial-schema';
import { Payments1764200000000 } from './1764200000000-payments';

/** Every migration, in order. Schema changes happen only here; `synchronize` is never on. */
export const MIGRATIONS = [InitialSchema1764100000000, Payments1764200000000];
