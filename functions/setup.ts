import { app } from '@azure/functions';

// Uploads stream straight to Blob Storage: a 50 MB video is never held whole in memory.
app.setup({ enableHttpStream: true });
