/**
 * Provides the `@azure/functions-core` module that `@azure/functions` expects
 * from the Azure Functions Node worker. Like the real worker, it answers
 * `require('@azure/functions-core')` through a Proxy on `Module.prototype.require`
 * instead of installing a package.
 *
 * The library caches the module (even `null`) on first use and calls
 * `setProgrammingModel` only once per process, so the module object and the
 * programming model are process-wide; registrations go to whichever registry is
 * currently loading an app (app loading is synchronous).
 */
import Module from 'node:module';
import type { BindingInfo } from './types';

/** Function metadata as `@azure/functions` passes it to `registerFunction`. */
export interface CoreFunctionMetadata {
  name: string;
  bindings: Record<string, BindingInfo>;
  retryOptions?: Record<string, unknown>;
}

export type FunctionCallback = (...args: unknown[]) => unknown;
export type HookName = 'appStart' | 'appTerminate' | 'preInvocation' | 'postInvocation' | 'log';
export type HookCallback = (context: Record<string, unknown>) => unknown;

/** The part of the library's `InvocationModel` the invoker drives. */
export interface CoreInvocationModel {
  getArguments(): Promise<{ context: unknown; inputs: unknown[] }>;
  invokeFunction(context: unknown, inputs: unknown[], callback: FunctionCallback): Promise<unknown>;
  getResponse(context: unknown, result: unknown): Promise<CoreInvocationResponse>;
}

export interface CoreInvocationResponse {
  invocationId: string;
  outputData?: { name: string; data: unknown }[];
  returnValue?: unknown;
}

/** The library's `ProgrammingModel`. */
export interface ProgrammingModel {
  name: string;
  version: string;
  getInvocationModel(coreContext: Record<string, unknown>): CoreInvocationModel;
  getCapabilities(capabilities: Record<string, string>): Promise<Record<string, string>>;
}

export interface RegisteredCallback {
  metadata: CoreFunctionMetadata;
  callback: FunctionCallback;
}

/** Functions and hooks one app registered. */
export class AppRegistry {
  readonly functions = new Map<string, RegisteredCallback>();
  readonly hooks = new Map<HookName, Set<HookCallback>>();
  /** Worker-level log sink (system messages from the library). */
  log: (level: string, category: string, message: string) => void = () => undefined;

  hooksFor(name: HookName): HookCallback[] {
    return [...(this.hooks.get(name) ?? [])];
  }
}

class Disposable {
  #callOnDispose: (() => unknown) | undefined;
  constructor(callOnDispose: () => unknown) {
    this.#callOnDispose = callOnDispose;
  }
  static from(...items: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => items.forEach((item) => item.dispose()));
  }
  dispose(): void {
    this.#callOnDispose?.();
    this.#callOnDispose = undefined;
  }
}

/** Versions reported to the library; the host one gates features such as log hooks (>= 4.34). */
const HOST_VERSION = '4.1040.0';
const WORKER_VERSION = '3.10.1';

let loading: AppRegistry | undefined;
/** The registry loaded last; receives the library's system log lines after loading. */
let lastLoaded: AppRegistry | undefined;
let programmingModel: ProgrammingModel | undefined;

function target(): AppRegistry {
  if (!loading) throw new Error('@azure/functions-core: functions can only be registered while the app loads');
  return loading;
}

const coreApi = {
  version: WORKER_VERSION,
  hostVersion: HOST_VERSION,
  Disposable,
  registerFunction(metadata: CoreFunctionMetadata, callback: FunctionCallback): Disposable {
    const registry = target();
    if (registry.functions.has(metadata.name)) throw new Error(`Duplicate function name "${metadata.name}"`);
    registry.functions.set(metadata.name, { metadata, callback });
    return new Disposable(() => registry.functions.delete(metadata.name));
  },
  registerHook(name: HookName, callback: HookCallback): Disposable {
    const registry = target();
    const set = registry.hooks.get(name) ?? new Set<HookCallback>();
    registry.hooks.set(name, set.add(callback));
    return new Disposable(() => set.delete(callback));
  },
  setProgrammingModel(model: ProgrammingModel): void {
    programmingModel = model;
  },
  getProgrammingModel(): ProgrammingModel | undefined {
    return programmingModel;
  },
  log(level: string, category: string, message: string): void {
    (loading ?? lastLoaded)?.log(level, category, message);
  },
};

let installed = false;

/** Installs the require Proxy; must run before anything requires `@azure/functions`. */
export function installCoreApi(): void {
  if (installed) return;
  installed = true;
  const proto = Module.prototype as unknown as { require: (id: string) => unknown };
  proto.require = new Proxy(proto.require, {
    apply(original, thisArg, args: unknown[]) {
      if (args[0] === '@azure/functions-core') return coreApi;
      return Reflect.apply(original, thisArg, args);
    },
  });
}

/** Runs `load` with `registry` as the registration target. */
export function loadInto<T>(registry: AppRegistry, load: () => T): T {
  installCoreApi();
  const previous = loading;
  loading = registry;
  lastLoaded = registry;
  try {
    return load();
  } finally {
    loading = previous;
  }
}

/** The programming model the library set (once per process), if any app loaded it. */
export function currentProgrammingModel(): ProgrammingModel | undefined {
  return programmingModel;
}
