/** Console output of the local host: one line per invocation, like Core Tools. */
import type { HostLog } from './types';

export interface ConsoleLogOptions {
  /** Print app/user log lines (`context.log`) too; invocation lines and errors are always printed. */
  verbose?: boolean;
  write?: (line: string) => void;
}

export function consoleHostLog(options: ConsoleLogOptions = {}): HostLog {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const stamp = (): string => new Date().toISOString().slice(11, 23);
  return {
    invocation(entry) {
      const error = entry.error ? ` error="${entry.error.replace(/\s+/g, ' ').slice(0, 300)}"` : '';
      write(
        `[${stamp()}] ${entry.outcome === 'Succeeded' ? 'Executed' : 'FAILED  '} ${entry.functionName} ` +
          `(${entry.trigger}, ${entry.durationMs} ms, ${entry.outcome}, id=${entry.correlationId})${error}`,
      );
    },
    info(message) {
      if (options.verbose !== false) write(`[${stamp()}] ${message}`);
    },
    error(message) {
      write(`[${stamp()}] ERROR ${message}`);
    },
  };
}

/** A log that keeps entries in memory (tests) and optionally forwards them. */
export function memoryHostLog(forward?: HostLog): HostLog & { invocations: Parameters<HostLog['invocation']>[0][] } {
  const invocations: Parameters<HostLog['invocation']>[0][] = [];
  return {
    invocations,
    invocation(entry) {
      invocations.push(entry);
      forward?.invocation(entry);
    },
    info: (message) => forward?.info(message),
    error: (message) => forward?.error(message),
  };
}
