import { app } from '@azure/functions';
import { config } from '../shared/config';
import { enterInvocationTrace, recordLocalInvocation, recordLocalLog } from '../shared/platform/invocation-trace';
import { flushTelemetry, preloadTelemetry } from '../shared/platform/telemetry';

// Uploads stream straight to Blob Storage: a 50 MB video is never held whole in memory.
app.setup({ enableHttpStream: true });

// A missing or malformed setting stops the app at start, naming the setting, not at the first request.
app.hook.appStart(() => {
  if (config().VOUCH_MODE === 'local') preloadTelemetry();
});

// Every handler runs inside its invocation's W3C trace, so custom telemetry and the messages it sends
// carry one operation id end to end (shared/platform/trace-context.ts). Cheap: no SDK is loaded here.
app.hook.preInvocation(enterInvocationTrace);
app.hook.postInvocation(recordLocalInvocation);
app.hook.log(recordLocalLog);

// Buffered telemetry (metrics export once a minute) goes out before the worker stops.
app.hook.appTerminate(flushTelemetry);
