/**
 * The `durableClient` input binding value, shaped like the extension's
 * (BindingHelper): webhook URL templates plus `rpcBaseUrl`, which the
 * durable-functions client uses for every call.
 */

/** Where the durable task API is served on the host's HTTP server. */
export const durableApiPrefix = '/runtime/webhooks/durabletask/';

export interface DurableClientBinding {
  taskHubName: string;
  creationUrls: { createNewInstancePostUri: string; createAndWaitOnNewInstancePostUri: string };
  managementUrls: {
    id: string;
    statusQueryGetUri: string;
    sendEventPostUri: string;
    terminatePostUri: string;
    rewindPostUri: string;
    purgeHistoryDeleteUri: string;
    restartPostUri: string;
    suspendPostUri: string;
    resumePostUri: string;
  };
  baseUrl: string;
  requiredQueryStringParameters: string;
  /** Must end in `/`: the client resolves `instances/...` against it. */
  rpcBaseUrl: string;
}

/** The placeholder the client swaps for an instance id. */
const instanceIdPlaceholder = 'INSTANCEID';

export function durableClientBinding(origin: string, taskHubName: string, connectionName = 'Storage'): DurableClientBinding {
  const baseUrl = `${origin}${durableApiPrefix.replace(/\/$/, '')}`;
  // The extension also appends `code=<system key>`; the local host has no keys.
  const qs = `taskHub=${encodeURIComponent(taskHubName)}&connection=${connectionName}`;
  const instance = `${baseUrl}/instances/${instanceIdPlaceholder}`;
  return {
    taskHubName,
    creationUrls: {
      createNewInstancePostUri: `${baseUrl}/orchestrators/{functionName}[/{instanceId}]?${qs}`,
      createAndWaitOnNewInstancePostUri:
        `${baseUrl}/orchestrators/{functionName}[/{instanceId}]?timeout={timeoutInSeconds}&pollingInterval={intervalInSeconds}&${qs}`,
    },
    managementUrls: {
      id: instanceIdPlaceholder,
      statusQueryGetUri: `${instance}?${qs}`,
      sendEventPostUri: `${instance}/raiseEvent/{eventName}?${qs}`,
      terminatePostUri: `${instance}/terminate?reason={text}&${qs}`,
      rewindPostUri: `${instance}/rewind?reason={text}&${qs}`,
      purgeHistoryDeleteUri: `${instance}?${qs}`,
      restartPostUri: `${instance}/restart?${qs}`,
      suspendPostUri: `${instance}/suspend?reason={text}&${qs}`,
      resumePostUri: `${instance}/resume?reason={text}&${qs}`,
    },
    baseUrl,
    requiredQueryStringParameters: qs,
    rpcBaseUrl: `${baseUrl}/`,
  };
}

/** The management payload for one instance (what a 202 from `startNew` carries). */
export function managementPayload(binding: DurableClientBinding, instanceId: string): Record<string, string> {
  const payload: Record<string, string> = {};
  for (const [key, value] of Object.entries(binding.managementUrls)) payload[key] = value.replace(instanceIdPlaceholder, instanceId);
  return payload;
}
