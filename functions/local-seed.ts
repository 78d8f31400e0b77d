import { app } from '@azure/functions';
import { seedLocalTenants } from '../shared/wiring/local-tenants';
import { seedLocalOrders } from '../shared/wiring/orders';

// Local mode: the demo tenants exist as soon as the host is up. A no-op on Azure.
app.hook.appStart(async () => {
  await seedLocalTenants();
  // Demo merchants, traders, requisites and deposits, so demo-a's first pay-in gets assigned.
  await seedLocalOrders();
});
