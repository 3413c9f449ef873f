import { InitialSchema1764100000000 } from './1764100000000-initial-schema';
import { Payments1764200000000 } from './1764200000000-payments';
import { ProductCategories1764300000000 } from './1764300000000-product-categories';
import { Admin1764400000000 } from './1764400000000-admin';
import { Outbox1764500000000 } from './1764500000000-outbox';
import { Totp1764600000000 } from './1764600000000-totp';
import { ExpressAdminSessions1764710000000 } from './1764710000000-express-admin-sessions';
import { PaymentPageIntegrity1764800000000 } from './1764800000000-payment-page-integrity';
import { RateLimits1764810000000 } from './1764810000000-rate-limits';
import { SealedSecrets1764820000000 } from './1764820000000-sealed-secrets';
import { CacheVersions1764900000000 } from './1764900000000-cache-versions';
import { CheckoutOrderIndex1764930000000 } from './1764930000000-checkout-order-index';

/** Every migration, in order. Schema changes happen only here; `synchronize` is never on. */
export const MIGRATIONS = [
  InitialSchema1764100000000,
  Payments1764200000000,
  ProductCategories1764300000000,
  Admin1764400000000,
  Outbox1764500000000,
  Totp1764600000000,
  ExpressAdminSessions1764710000000,
  PaymentPageIntegrity1764800000000,
  RateLimits1764810000000,
  SealedSecrets1764820000000,
  CacheVersions1764900000000,
  CheckoutOrderIndex1764930000000,
];
