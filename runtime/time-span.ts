/** Parses .NET TimeSpan text `[d.]hh:mm:ss[.fff]` (as host.json writes durations) to milliseconds. */
export function timeSpanMs(text: string): number {
  const match = /^(?:(\d+)\.)?(\d+):(\d+):(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw new Error(`"${text}" is not a TimeSpan (d.hh:mm:ss)`);
  const [, d = '0', h = '0', m = '0', s = '0', f = '0'] = match;
  return ((Number(d) * 24 + Number(h)) * 60 + Number(m)) * 60_000 + Number(s) * 1000 + Number(`0.${f}`) * 1000;
}
