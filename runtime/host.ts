/**
 * The local Functions host: listens, loads the app, builds the HostContext and
 * starts the trigger extensions in order; stops them in reverse order.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { applySettings, loadApp, readLocalSettings, readPackageMain, resolveMainFiles, runAppHooks, type LoadedApp } from './app-loader';
import { consoleHostLog } from './host-log';
import { HostServer } from './http-server';
import { RpcInvoker } from './invoker';
import { assertSupported, isDisabled } from './bindings/support';
import { blobInput, tableInput } from './bindings/storage-inputs';
import { blobOutput, queueOutput, tableOutput } from './bindings/storage-outputs';
import { blobExtension } from './triggers/blob';
import { queueExtension } from './triggers/queue';
import { httpExtension, type HttpExtensionOptions } from './triggers/http';
import { timerExtension } from './triggers/timer';
import { durableExtension } from './durable/index';
import { serviceBusExtension } from './service-bus/index';
import type {
  HostContext, HostLog, InputBindingProvider, OutputBindingWriter, RawHttpHandler, RegisteredFunction, RuntimeExtension,
} from './types';

export interface HostOptions {
  /** Folder holding package.json, host.json and local.settings(.sample).json. */
  appDir: string;
  /** Entry files or globs relative to appDir; default: package.json `main`. */
  main?: string | string[];
  /** TCP port on 127.0.0.1; 0 picks a free one. Default 7071. */
  port?: number;
  /** Settings that win over the environment and local settings (tests use them for unique names). */
  settings?: Record<string, string>;
  /** Trigger extensions in start order; default: `defaultExtensions(host.json)`. */
  extensions?: RuntimeExtension[];
  log?: HostLog;
}

/** host.json as far as the local host reads it. */
export interface HostJson {
  extensions?: { http?: HttpExtensionOptions };
}

/**
 * Start order matters: durable first (HTTP starters and timers need its client binding), the
 * timer last, so `runOnStartup` timers fire once everything they may call is ready.
 */
export function defaultExtensions(hostJson: HostJson = {}): RuntimeExtension[] {
  return [durableExtension(), httpExtension(hostJson.extensions?.http), blobExtension(), queueExtension(), serviceBusExtension(), timerExtension()];
}

const DEV_STORAGE =
  'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;' +
  'AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;' +
  'BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1;' +
  'TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;';

export class Host {
  readonly server = new HostServer();
  #extensions: RuntimeExtension[] = [];
  #started: RuntimeExtension[] = [];
  #app: LoadedApp | undefined;
  #context: HostContext | undefined;
  readonly #appHookData: Record<string, unknown> = {};

  constructor(readonly options: HostOptions) {}

  get context(): HostContext {
    if (!this.#context) throw new Error('Host not started');
    return this.#context;
  }

  async start(): Promise<void> {
    const { appDir } = this.options;
    const settings = applySettings(readLocalSettings(appDir), this.options.settings);
    const origin = await this.server.listen(this.options.port ?? 7071);
    settings.WEBSITE_HOSTNAME = origin.replace(/^http:\/\//, '');
    this.#app = loadApp(resolveMainFiles(appDir, this.options.main ?? readPackageMain(appDir)));
    this.#context = this.#createContext(this.#app, settings, origin);
    assertSupported(this.#context.functions().filter((fn) => !isDisabled(settings, fn.name)));
    await runAppHooks(this.#app.registry, 'appStart', appDir, this.#appHookData);
    this.#extensions = this.options.extensions ?? defaultExtensions(readHostJson(appDir));
    for (const extension of this.#extensions) {
      await extension.start(this.#context);
      this.#started.push(extension);
    }
    this.#context.log.info(`Host listening on ${origin} with ${this.#app.functions.size} functions`);
  }

  async stop(): Promise<void> {
    for (const extension of this.#started.reverse()) await extension.stop();
    this.#started = [];
    if (this.#app) await runAppHooks(this.#app.registry, 'appTerminate', this.options.appDir, this.#appHookData);
    await this.server.close();
  }

  #createContext(app: LoadedApp, settings: Record<string, string | undefined>, origin: string): HostContext {
    const log = this.options.log ?? consoleHostLog();
    app.registry.log = (level, _category, message) => {
      if (level === 'warning' || level === 'error' || level === 'critical') log.error(message);
    };
    const invoker = new RpcInvoker(app.registry, app.functions, log);
    const storage = settings.AzureWebJobsStorage ?? '';
    const list = (): RegisteredFunction[] => [...app.functions.values()];
    for (const fn of list()) if (isDisabled(settings, fn.name)) log.info(`Function ${fn.name} is disabled (AzureWebJobs.${fn.name}.Disabled)`);
    const context: HostContext = {
      functions: list,
      functionsWithTrigger: (type) =>
        list().filter((fn) => fn.trigger.type.toLowerCase() === type.toLowerCase() && !isDisabled(settings, fn.name)),
      invoker,
      appDir: this.options.appDir,
      settings,
      resolveSetting: (value) => resolveSetting(settings, value),
      storageConnectionString: /^UseDevelopmentStorage=true/i.test(storage) ? DEV_STORAGE : storage,
      origin,
      log,
      addInputBindingProvider: (type: string, provider: InputBindingProvider) => invoker.addInputBindingProvider(type, provider),
      addOutputBindingWriter: (type: string, writer: OutputBindingWriter) => invoker.addOutputBindingWriter(type, writer),
      addHttpHandler: (prefix: string, handler: RawHttpHandler) => this.server.addHandler(prefix, handler),
    };
    // Storage bindings belong to the host core: any function may use them, whatever its trigger.
    context.addInputBindingProvider('blob', blobInput(context));
    context.addInputBindingProvider('table', tableInput(context));
    context.addOutputBindingWriter('queue', queueOutput(context));
    context.addOutputBindingWriter('blob', blobOutput(context));
    context.addOutputBindingWriter('table', tableOutput(context));
    return context;
  }
}

/** Replaces `%NAME%` placeholders with settings; a missing setting is an error naming it. */
export function resolveSetting(settings: Record<string, string | undefined>, value: string): string {
  return value.replace(/%([^%]+)%/g, (_match, name: string) => {
    const resolved = settings[name];
    if (resolved === undefined) throw new Error(`Setting "${name}" (referenced as %${name}%) is not defined`);
    return resolved;
  });
}

/** The app's host.json (empty when there is none): the local host reads the same file Azure does. */
export function readHostJson(appDir: string): HostJson {
  const file = path.join(appDir, 'host.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as HostJson) : {};
}
