import { app } from '@azure/functions';
import { config } from '../shared/config';

// Uploads stream straight to Blob Storage: a 50 MB video is never held whole in memory.
app.setup({ enableHttpStream: true });

// A missing or malformed setting stops the app at start, naming the setting, not at the first request.
app.hook.appStart(() => {
  config();
});
