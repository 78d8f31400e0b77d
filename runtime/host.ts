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
import { blobExtension } from './triggers/blob';
import { httpExtension, type HttpExtensionOptions } from './triggers/http';
import { timerExtension } from './triggers/timer';
import { durableExtension } from './durable/index';
import { serviceBusExtension } from './service-bus/index';
import type { HostContext, HostLog, InputBindingProvider, RawHttpHandler, RegisteredFunction, RuntimeExtension } from './types';

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

/** Service Bus and durable are built by other modules; they plug in through `runtime/types.ts`. */
export const PLUGGED_IN_EXTENSIONS: (() => RuntimeExtension)[] = [serviceBusExtension, durableExtension];

export function defaultExtensions(hostJson: HostJson = {}): RuntimeExtension[] {
  const own = [httpExtension(hostJson.extensions?.http), timerExtension(), blobExtension()];
  return [...own, ...PLUGGED_IN_EXTENSIONS.map((create) => create())];
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
    return {
      functions: list,
      functionsWithTrigger: (type) => list().filter((fn) => fn.trigger.type.toLowerCase() === type.toLowerCase()),
      invoker,
      appDir: this.options.appDir,
      settings,
      resolveSetting: (value) => resolveSetting(settings, value),
      storageConnectionString: /^UseDevelopmentStorage=true/i.test(storage) ? DEV_STORAGE : storage,
      origin,
      log,
      addInputBindingProvider: (type: string, provider: InputBindingProvider) => invoker.addInputBindingProvider(type, provider),
      addHttpHandler: (prefix: string, handler: RawHttpHandler) => this.server.addHandler(prefix, handler),
    };
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

function readHostJson(appDir: string): HostJson {
  const file = path.join(appDir, 'host.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as HostJson) : {};
}
