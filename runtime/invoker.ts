/**
 * Invokes registered functions the way the Node worker does (the "RPC route"):
 * ProgrammingModel.getInvocationModel → getArguments → preInvocation hooks →
 * invokeFunction → postInvocation hooks → getResponse. Going through the
 * library keeps its conversions (camelCasing, HttpRequest, timer objects,
 * `$return`/extraOutputs) identical to Azure.
 */
import { randomUUID } from 'node:crypto';
import { currentProgrammingModel, type AppRegistry, type CoreInvocationModel, type HookCallback } from './core-api';
import { bindingDataFor, type BindingData } from './bindings/binding-data';
import { fromRpcTypedData, toRpcTriggerMetadata, toRpcTypedData, type RpcTypedData } from './rpc-data';
import type {
  HostLog,
  InputBindingProvider,
  InvokeRequest,
  InvokeResult,
  Invoker,
  OutputBindingWriter,
  RegisteredFunction,
} from './types';

/** An invocation whose trigger input is already typed data (HTTP passes `{ http }`). */
export interface TypedInvokeRequest extends InvokeRequest {
  triggerData?: RpcTypedData;
  /** Fixed invocation id (the HTTP stream proxy matches requests by it); generated when absent. */
  invocationId?: string;
}

interface Invocation {
  fn: RegisteredFunction;
  invocationId: string;
  correlationId: string;
  coreContext: Record<string, unknown>;
  bindingData: BindingData;
}

export class RpcInvoker implements Invoker {
  readonly #providers = new Map<string, InputBindingProvider>();
  readonly #writers = new Map<string, OutputBindingWriter>();

  constructor(
    private readonly registry: AppRegistry,
    private readonly functions: Map<string, RegisteredFunction>,
    private readonly log: HostLog,
  ) {}

  addInputBindingProvider(bindingType: string, provider: InputBindingProvider): void {
    this.#providers.set(bindingType.toLowerCase(), provider);
  }

  addOutputBindingWriter(bindingType: string, writer: OutputBindingWriter): void {
    this.#writers.set(bindingType.toLowerCase(), writer);
  }

  invoke(request: InvokeRequest): Promise<InvokeResult> {
    return this.invokeTyped(request);
  }

  async invokeTyped(request: TypedInvokeRequest): Promise<InvokeResult> {
    const started = performance.now();
    const invocation = await this.#prepare(request);
    const entry = { functionName: invocation.fn.name, trigger: invocation.fn.trigger.type };
    try {
      const result = await this.#run(invocation);
      await this.#writeOutputs(invocation, result);
      const durationMs = Math.round(performance.now() - started);
      this.log.invocation({ ...entry, durationMs, outcome: 'Succeeded', correlationId: invocation.correlationId });
      return { ...result, durationMs };
    } catch (error) {
      const durationMs = Math.round(performance.now() - started);
      const message = error instanceof Error ? error.message : String(error);
      this.log.invocation({ ...entry, durationMs, outcome: 'Failed', correlationId: invocation.correlationId, error: message });
      throw error;
    }
  }

  async #prepare(request: TypedInvokeRequest): Promise<Invocation> {
    const fn = this.functions.get(request.functionName);
    if (!fn) throw new Error(`No function named "${request.functionName}" is registered`);
    const invocationId = request.invocationId ?? randomUUID();
    const triggerData = request.triggerData ?? toRpcTypedData(request.triggerValue);
    const bindingData = bindingDataFor(request);
    const inputData = [{ name: fn.triggerBindingName, data: triggerData }, ...(await this.#extraInputs(fn, bindingData))];
    const coreContext: Record<string, unknown> = {
      invocationId,
      metadata: this.registry.functions.get(fn.name)?.metadata,
      request: {
        inputData,
        triggerMetadata: toRpcTriggerMetadata(request.triggerMetadata),
        retryContext: request.retryContext,
        traceContext: request.traceParent ? { traceParent: request.traceParent, attributes: {} } : undefined,
      },
      log: (level: string, category: string, message: string) => this.#userLog(fn.name, level, category, message),
    };
    return { fn, invocationId, correlationId: request.correlationId ?? invocationId, coreContext, bindingData };
  }

  async #extraInputs(fn: RegisteredFunction, data: BindingData): Promise<{ name: string; data: RpcTypedData | undefined }[]> {
    const inputs = [];
    for (const [name, binding] of Object.entries(fn.bindings)) {
      if (name === fn.triggerBindingName || binding.direction !== 'in') continue;
      const provider = this.#providers.get(binding.type.toLowerCase());
      // assertSupported refuses unknown inputs at start; reaching here means a provider was not registered.
      if (!provider) throw new Error(`Function "${fn.name}": no provider for input binding "${binding.type}"`);
      inputs.push({ name, data: toRpcTypedData(await provider(binding, fn, data)) });
    }
    return inputs;
  }

  /** Flushes output bindings (`$return` and extraOutputs) once the function succeeded; HTTP is the trigger's. */
  async #writeOutputs(invocation: Invocation, result: Omit<InvokeResult, 'durationMs'>): Promise<void> {
    const { fn, bindingData } = invocation;
    for (const [name, binding] of Object.entries(fn.bindings)) {
      if (binding.direction !== 'out' || binding.type.toLowerCase() === 'http') continue;
      const value = name === '$return' ? result.returnValue : result.outputs[name];
      if (value === undefined || value === null) continue; // nothing set: the host writes nothing either
      const writer = this.#writers.get(binding.type.toLowerCase());
      if (!writer) throw new Error(`Function "${fn.name}": no writer for output binding "${binding.type}"`);
      await writer(binding, value, { fn, data: bindingData });
    }
  }

  async #run(invocation: Invocation): Promise<Omit<InvokeResult, 'durationMs'>> {
    const model = requireModel().getInvocationModel(invocation.coreContext);
    const { context, inputs } = await model.getArguments();
    const hookData: Record<string, unknown> = {};
    const pre = { hookData, invocationContext: context, inputs, functionCallback: this.#callback(invocation.fn) };
    await runHooks(this.registry.hooksFor('preInvocation'), pre);
    const post: Record<string, unknown> = { hookData, invocationContext: context, inputs: pre.inputs };
    try {
      post.result = await model.invokeFunction(context, pre.inputs, pre.functionCallback);
    } catch (error) {
      post.error = error;
    }
    invocation.coreContext.state = 'postInvocationHooks';
    await runHooks(this.registry.hooksFor('postInvocation'), post);
    if (post.error !== undefined && post.error !== null) throw post.error;
    return collectResponse(model, context, post.result);
  }

  #callback(fn: RegisteredFunction): (...args: unknown[]) => unknown {
    const registered = this.registry.functions.get(fn.name);
    if (!registered) throw new Error(`Function "${fn.name}" has no callback`);
    return registered.callback;
  }

  #userLog(functionName: string, level: string, category: string, message: string): void {
    const hooks = this.registry.hooksFor('log');
    const hookContext = { hookData: {}, level, category, message };
    for (const hook of hooks) hook(hookContext);
    const line = `[${functionName}] ${hookContext.message}`;
    if (hookContext.level === 'error' || hookContext.level === 'critical') this.log.error(line);
    else if (hookContext.level !== 'debug' && hookContext.level !== 'trace') this.log.info(line);
  }
}

function requireModel(): NonNullable<ReturnType<typeof currentProgrammingModel>> {
  const model = currentProgrammingModel();
  if (!model) throw new Error('The app never loaded @azure/functions, so no programming model is set');
  return model;
}

async function runHooks(hooks: HookCallback[], context: Record<string, unknown>): Promise<void> {
  for (const hook of hooks) await hook(context);
}

async function collectResponse(
  model: CoreInvocationModel,
  context: unknown,
  result: unknown,
): Promise<Omit<InvokeResult, 'durationMs'>> {
  const response = await model.getResponse(context, result);
  const outputs: Record<string, unknown> = {};
  for (const output of response.outputData ?? []) outputs[output.name] = fromRpcTypedData(output.data);
  return { returnValue: fromRpcTypedData(response.returnValue), outputs };
}
