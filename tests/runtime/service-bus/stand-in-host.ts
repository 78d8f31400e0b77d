/**
 * A HostContext for the Service Bus extension tests, built from plain parts. Its invoker is a
 * STAND-IN for rtcore's RpcInvoker: it calls a plain async handler with (triggerValue, request)
 * instead of going through @azure/functions, so these tests exercise the listener and broker only.
 */
import type { BindingInfo, HostContext, HostLog, InvokeRequest, InvokeResult, Invoker, RegisteredFunction } from '../../../runtime/types';

export type StandInHandler = (triggerValue: unknown, request: InvokeRequest) => Promise<unknown>;

export class StandInInvoker implements Invoker {
  readonly calls: InvokeRequest[] = [];
  constructor(private readonly handlers: Record<string, StandInHandler>) {}

  async invoke(request: InvokeRequest): Promise<InvokeResult> {
    const handler = this.handlers[request.functionName];
    if (!handler) throw new Error(`No stand-in handler for ${request.functionName}`);
    this.calls.push(request);
    const started = performance.now();
    const returnValue = await handler(request.triggerValue, request);
    return { returnValue, outputs: {}, durationMs: performance.now() - started };
  }
}

export class CollectingLog implements HostLog {
  readonly errors: string[] = [];
  readonly infos: string[] = [];
  invocation(): void {}
  info(message: string): void {
    this.infos.push(message);
  }
  error(message: string): void {
    this.errors.push(message);
  }
}

export function serviceBusFunction(name: string, trigger: Record<string, unknown>): RegisteredFunction {
  const binding: BindingInfo = { type: 'serviceBusTrigger', direction: 'in', connection: 'ServiceBusConnection', ...trigger };
  return { name, bindings: { serviceBusTrigger1: binding }, triggerBindingName: 'serviceBusTrigger1', trigger: binding };
}

export function standInHost(options: {
  storageConnectionString: string;
  functions: RegisteredFunction[];
  invoker: Invoker;
  settings?: Record<string, string>;
  log?: HostLog;
}): HostContext {
  const settings = options.settings ?? {};
  return {
    functions: () => options.functions,
    functionsWithTrigger: (type) => options.functions.filter((fn) => fn.trigger.type.toLowerCase() === type.toLowerCase()),
    invoker: options.invoker,
    appDir: process.cwd(),
    settings,
    resolveSetting: (value) =>
      value.replace(/%([^%]+)%/g, (_m, name: string) => {
        const resolved = settings[name];
        if (resolved === undefined) throw new Error(`Setting "${name}" is not defined`);
        return resolved;
      }),
    storageConnectionString: options.storageConnectionString,
    origin: 'http://127.0.0.1:0',
    log: options.log ?? new CollectingLog(),
    addInputBindingProvider: () => undefined,
    addOutputBindingWriter: () => undefined,
    addHttpHandler: () => undefined,
  };
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
