/**
 * Timer trigger: 6-field NCRONTAB schedules (`{second} {minute} {hour} {day}
 * {month} {day-of-week}`, evaluated by croner in UTC unless WEBSITE_TIME_ZONE
 * is set) or TimeSpan schedules (`hh:mm:ss`), `%SETTING%` schedules,
 * runOnStartup, function-level retry policies, no overlapping runs of one function (the host holds a singleton
 * lock). Schedule status is kept in memory: `isPastDue` is true when a run
 * starts more than a second after its due time.
 *
 * Also serves `POST /admin/functions/{name}` (as the real host does) to run any
 * non-HTTP function now: body `{"input": ...}`; answers 202, or with
 * `?wait=true` 200/500 and `{outcome, returnValue | error}` after the run.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Cron } from 'croner';
import { sendProblem } from '../http-server';
import type { HostContext, RegisteredFunction, RuntimeExtension } from '../types';
import { withRetryPolicy, type RetryOptionsMetadata } from './retry-policy';

const PAST_DUE_TOLERANCE_MS = 1000;
const TIME_SPAN = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})$/;

interface TimerJob {
  fn: RegisteredFunction;
  /** Time the next run is due; undefined when the schedule has no more runs. */
  nextDue(): Date | undefined;
  stop(): void;
  last?: Date;
}

export function timerExtension(): RuntimeExtension {
  const jobs = new Map<string, TimerJob>();
  const inFlight = new Set<Promise<unknown>>();
  let host: HostContext | undefined;

  const track = <T>(run: Promise<T>): Promise<T> => {
    inFlight.add(run);
    void run.finally(() => inFlight.delete(run)).catch(() => undefined);
    return run;
  };
  let stopped = false;
  const runTimer = (job: TimerJob, due: Date | undefined): Promise<unknown> =>
    track(invokeTimer(requireHost(host), job, due, () => stopped)).catch(() => undefined);

  return {
    name: 'timer',
    async start(context) {
      host = context;
      stopped = false;
      jobs.clear();
      for (const fn of context.functionsWithTrigger('timerTrigger')) {
        const job = scheduleJob(context, fn, (due) => runTimer(job, due));
        jobs.set(fn.name, job);
        // The host starts this extension last, so durable clients and the other triggers are ready.
        if (fn.trigger.runOnStartup === true) void runTimer(job, undefined);
      }
      context.addHttpHandler('/admin/functions/', (req, res, url) => track(runFromAdmin(context, jobs, req, res, url)));
    },
    async stop() {
      stopped = true;
      for (const job of jobs.values()) job.stop();
      await Promise.allSettled([...inFlight]);
    },
  };
}

function requireHost(host: HostContext | undefined): HostContext {
  if (!host) throw new Error('timer extension not started');
  return host;
}

function scheduleJob(host: HostContext, fn: RegisteredFunction, run: (due: Date | undefined) => Promise<unknown>): TimerJob {
  const schedule = host.resolveSetting(String(fn.trigger.schedule ?? ''));
  const span = TIME_SPAN.exec(schedule.trim());
  if (span) {
    const [, days = '0', hours = '0', minutes = '0', seconds = '0'] = span;
    const periodMs = (((Number(days) * 24 + Number(hours)) * 60 + Number(minutes)) * 60 + Number(seconds)) * 1000;
    let due = new Date(Date.now() + periodMs);
    let busy = false;
    const timer = setInterval(() => {
      const current = due;
      due = new Date(current.getTime() + periodMs);
      if (busy) return;
      busy = true;
      void run(current).finally(() => (busy = false));
    }, periodMs);
    return { fn, nextDue: () => due, stop: () => clearInterval(timer) };
  }
  const timezone = host.settings.WEBSITE_TIME_ZONE ?? 'Etc/UTC';
  let due: Date | undefined;
  const cron = new Cron(schedule, { timezone, protect: true }, async () => {
    const current = due;
    due = cron.nextRun() ?? undefined;
    await run(current);
  });
  due = cron.nextRun() ?? undefined;
  return { fn, nextDue: () => due, stop: () => cron.stop() };
}

async function invokeTimer(host: HostContext, job: TimerJob, due: Date | undefined, isStopped: () => boolean): Promise<unknown> {
  const now = new Date();
  const timerInfo = {
    Schedule: { AdjustForDST: true },
    ScheduleStatus: {
      Last: (job.last ?? new Date(0)).toISOString(),
      Next: (job.nextDue() ?? now).toISOString(),
      LastUpdated: now.toISOString(),
    },
    IsPastDue: due !== undefined && now.getTime() - due.getTime() > PAST_DUE_TOLERANCE_MS,
  };
  job.last = now;
  const options = job.fn.retryOptions as RetryOptionsMetadata | undefined;
  const result = await withRetryPolicy(
    options,
    (retryContext) => host.invoker.invoke({ functionName: job.fn.name, triggerValue: timerInfo, ...(retryContext ? { retryContext } : {}) }),
    { log: host.log, functionName: job.fn.name, isStopped },
  );
  return result.returnValue;
}

async function readJson(req: IncomingMessage): Promise<{ input?: unknown }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8').trim();
  return text ? (JSON.parse(text) as { input?: unknown }) : {};
}

async function runFromAdmin(
  host: HostContext,
  jobs: Map<string, TimerJob>,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const name = decodeURIComponent(url.pathname.slice('/admin/functions/'.length));
  const fn = host.functions().find((candidate) => candidate.name.toLowerCase() === name.toLowerCase());
  if (req.method !== 'POST') return sendProblem(res, 405, 'Method Not Allowed', 'Use POST');
  if (!fn) return sendProblem(res, 404, 'Not Found', `No function named "${name}"`);
  if (fn.trigger.type.toLowerCase() === 'httptrigger') return sendProblem(res, 400, 'Bad Request', 'Call HTTP functions on their route');
  let body: { input?: unknown };
  try {
    body = await readJson(req);
  } catch {
    return sendProblem(res, 400, 'Bad Request', 'The body must be JSON like {"input": ...}');
  }
  const job = jobs.get(fn.name);
  const run = job
    ? invokeTimer(host, job, undefined, () => false)
    : host.invoker.invoke({ functionName: fn.name, triggerValue: body.input }).then((result) => result.returnValue);
  if (url.searchParams.get('wait') !== 'true') {
    run.catch(() => undefined);
    res.writeHead(202).end();
    return;
  }
  await run.then(
    (returnValue) => writeJson(res, 200, { outcome: 'Succeeded', returnValue: returnValue ?? null }),
    (error: unknown) => writeJson(res, 500, { outcome: 'Failed', error: error instanceof Error ? error.message : String(error) }),
  );
}

function writeJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
