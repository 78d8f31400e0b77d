import { app } from '@azure/functions';
import { seedLocalTenants } from '../shared/wiring/local-tenants';

// Local mode: the demo tenants exist as soon as the host is up. A no-op on Azure.
app.hook.appStart(async () => {
  await seedLocalTenants();
});
