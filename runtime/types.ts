/**
 * Seams between the parts of the local runtime (the stand-in for the Azure
 * Functions host). The host core owns registration, invocation and the HTTP
 * server; each trigger family is an extension that plugs into it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BindingData } from './bindings/binding-data';

/** One binding as captured from `@azure/functions` metadata (`type`, `direction`, plus its options). */
export interface BindingInfo {
  type: string;
  direction: 'in' | 'out' | 'inout' | string;
  [option: string]: unknown;
}

/** A function the app registered through `@azure/functions-core`. */
export interface RegisteredFunction {
  name: string;
  /** Binding name → binding; exactly one has a `type` ending in `Trigger`. */
  bindings: Record<string, BindingInfo>;
  /** Name of the trigger binding within `bindings`. */
  triggerBindingName: string;
  trigger: BindingInfo;
  /** `metadata.retryOptions` when the app set a retry policy. */
  retryOptions?: Record<string, unknown>;
}

/** What a trigger extension hands the invoker. */
export interface InvokeRequest {
  functionName: string;
  /** The trigger value as a JS value (Buffer for blobs, parsed JSON for messages, object for durable triggers). */
  triggerValue: unknown;
  /** Trigger metadata the app sees as `context.triggerMetadata` (e.g. deliveryCount, messageId, blobTrigger). */
  triggerMetadata?: Record<string, unknown>;
  /** Correlation id for the invocation log line; generated when absent. */
  correlationId?: string;
  /** Set by the Service Bus / retry machinery so `context.retryContext` is populated. */
  retryContext?: { retryCount: number; maxRetryCount: number };
  /**
   * W3C `traceparent` the invocation continues, exposed as `context.traceContext` as the host does:
   * the HTTP request's header, a Service Bus message's `traceparent`/`Diagnostic-Id` application
   * property, a blob's `traceparent` metadata.
   */
  traceParent?: string;
}

export interface InvokeResult {
  /** The handler's return value, converted back to a JS value (for HTTP: `{ status, headers, body: Buffer }`). */
  returnValue: unknown;
  /** Extra outputs by binding name. */
  outputs: Record<string, unknown>;
  durationMs: number;
}

export interface Invoker {
  /** Invokes a registered function; rejects with the handler's error when it throws. */
  invoke(request: InvokeRequest): Promise<InvokeResult>;
}

/**
 * Supplies the value of an input binding the host must attach (e.g. `durableClient`, `blob`);
 * `data` resolves binding expressions such as `{name}` for this invocation.
 */
export type InputBindingProvider = (binding: BindingInfo, fn: RegisteredFunction, data: BindingData) => unknown;

/** Writes one output binding's value after a successful invocation (queue, blob, table, serviceBus). */
export type OutputBindingWriter = (binding: BindingInfo, value: unknown, context: { fn: RegisteredFunction; data: BindingData }) => Promise<void>;

/** Handles raw HTTP requests under a path prefix on the host's server (e.g. the durable task API). */
export type RawHttpHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

export interface HostLog {
  /** One line per invocation: function, trigger, duration, outcome, correlation id. */
  invocation(entry: {
    functionName: string;
    trigger: string;
    durationMs: number;
    outcome: 'Succeeded' | 'Failed';
    correlationId: string;
    error?: string;
  }): void;
  info(message: string): void;
  error(message: string): void;
}

/** What the host core offers every extension. */
export interface HostContext {
  /** Every registered function, disabled ones included. */
  functions(): RegisteredFunction[];
  /** Enabled functions with this trigger type (`AzureWebJobs.<name>.Disabled` ones are left out). */
  functionsWithTrigger(type: string): RegisteredFunction[];
  invoker: Invoker;
  /** The app's folder (host.json, local.settings.json); relative paths in settings resolve against it. */
  appDir: string;
  /** App settings (local.settings.json Values merged over process.env). */
  settings: Record<string, string | undefined>;
  /** Resolves `%NAME%` placeholders in binding options from settings. */
  resolveSetting(value: string): string;
  /** Azurite connection string the runtime uses for its own state (receipts, broker, durable history). */
  storageConnectionString: string;
  /** Origin of the host's HTTP server, e.g. `http://127.0.0.1:7071`. */
  origin: string;
  log: HostLog;
  addInputBindingProvider(bindingType: string, provider: InputBindingProvider): void;
  addOutputBindingWriter(bindingType: string, writer: OutputBindingWriter): void;
  addHttpHandler(pathPrefix: string, handler: RawHttpHandler): void;
}

/** A trigger family (http, timer, blob, serviceBus, durable). */
export interface RuntimeExtension {
  name: string;
  start(host: HostContext): Promise<void>;
  /** Stops polling and waits for in-flight invocations. */
  stop(): Promise<void>;
}
