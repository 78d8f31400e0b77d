/** The small logger `shared/` writes to; functions pass the invocation context's methods. */
export interface Logger {
  info(message: string, properties?: Record<string, unknown>): void;
  warn(message: string, properties?: Record<string, unknown>): void;
  error(message: string, properties?: Record<string, unknown>): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

export const consoleLogger: Logger = {
  info: (m, p) => console.log(m, p ?? ''),
  warn: (m, p) => console.warn(m, p ?? ''),
  error: (m, p) => console.error(m, p ?? ''),
};
