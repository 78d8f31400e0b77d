/**
 * One image at a time through the offline engine, in arrival order. tfjs-wasm computes on the
 * event loop, so sixteen queue messages analysing at once do not finish sooner: they interleave
 * op by op and starve everything else on the loop (an HTTP GET waited 16 s behind them).
 * Through the gate each image runs to completion while others wait as cheap promises.
 */
let tail: Promise<unknown> = Promise.resolve();

export function throughEngineGate<T>(work: () => Promise<T>): Promise<T> {
  const run = tail.then(work, work);
  tail = run.catch(() => undefined);
  return run;
}
