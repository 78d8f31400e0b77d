/**
 * What the local runtime runs, checked once at start. Azure would run every binding an app
 * registers; a stand-in that accepted a binding and then ignored it would lose data silently.
 * So any trigger, input, output or option outside this list stops the host at start with a
 * message naming the function and the feature.
 */
import type { BindingInfo, RegisteredFunction } from '../types';

const TRIGGERS = new Set(['httptrigger', 'timertrigger', 'blobtrigger', 'queuetrigger', 'servicebustrigger', 'orchestrationtrigger', 'activitytrigger']);
const INPUTS = new Set(['durableclient', 'orchestrationclient', 'blob', 'table']);
const OUTPUTS = new Set(['http', 'queue', 'blob', 'table', 'servicebus']);
/** Azure runs function-level retry policies only for these triggers (the rest retry through their own extension). */
const RETRY_TRIGGERS = new Set(['timertrigger']);

/** Problems with one function, each naming the feature; empty when the runtime runs it faithfully. */
export function unsupportedFeatures(fn: RegisteredFunction): string[] {
  const problems: string[] = [];
  for (const [name, binding] of Object.entries(fn.bindings)) {
    const type = binding.type.toLowerCase();
    if (name === fn.triggerBindingName) problems.push(...triggerProblems(binding, type));
    else if (binding.direction === 'in' && !INPUTS.has(type)) problems.push(`input binding "${binding.type}" is not supported`);
    else if (binding.direction === 'out' && !OUTPUTS.has(type)) problems.push(`output binding "${binding.type}" is not supported`);
    else if (binding.direction === 'inout') problems.push(`in/out binding "${binding.type}" is not supported`);
    else if (type === 'servicebus' && typeof binding.topicName === 'string') problems.push('Service Bus topic outputs are not emulated (queues only)');
  }
  if (fn.retryOptions && !RETRY_TRIGGERS.has(fn.trigger.type.toLowerCase())) {
    problems.push(
      `a retry policy on a ${fn.trigger.type} (Azure runs function-level retries only for timer, Event Hubs, Kafka and Cosmos DB ` +
        'triggers; this trigger retries through its own extension, so remove the policy)',
    );
  }
  return problems;
}

function triggerProblems(trigger: BindingInfo, type: string): string[] {
  if (type === 'entitytrigger') return ['durable entities (entityTrigger) are not supported by the local durable runtime'];
  if (!TRIGGERS.has(type)) return [`trigger "${trigger.type}" is not supported`];
  if (type === 'servicebustrigger' && typeof trigger.queueName !== 'string') return ['Service Bus topic subscriptions are not emulated (queues only)'];
  if (type === 'servicebustrigger' && trigger.isSessionsEnabled === true) return ['Service Bus sessions (isSessionsEnabled) are not emulated'];
  return [];
}

/** Throws one error listing every unsupported feature of the enabled functions. */
export function assertSupported(functions: RegisteredFunction[]): void {
  const lines = functions.flatMap((fn) => unsupportedFeatures(fn).map((problem) => `  function "${fn.name}": ${problem}`));
  if (lines.length === 0) return;
  throw new Error(
    `The local runtime cannot run this app faithfully:\n${lines.join('\n')}\n` +
      'Disable a function locally with the setting AzureWebJobs.<name>.Disabled=true to start without it.',
  );
}

/**
 * `AzureWebJobs.<name>.Disabled` (true or 1), as the host reads it; also the `__` spelling Linux
 * plans need, since their app setting names cannot hold dots.
 */
export function isDisabled(settings: Record<string, string | undefined>, name: string): boolean {
  const keys = [`AzureWebJobs.${name}.Disabled`, `AzureWebJobs__${name}__Disabled`].map((k) => k.toLowerCase());
  const value = Object.entries(settings).find(([k]) => keys.includes(k.toLowerCase()))?.[1];
  return value !== undefined && /^(true|1)$/i.test(value.trim());
}
