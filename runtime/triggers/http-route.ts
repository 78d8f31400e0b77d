/**
 * ASP.NET-style route templates as the Functions host accepts them:
 * `items/{id}`, `{id:int}`, `{page?}`, `{*rest}`, `files/{name}.{ext}`.
 * Matching is case-insensitive; more specific routes win (literal > constrained
 * parameter > parameter > optional > catch-all, segment by segment).
 */

export interface CompiledRoute {
  template: string;
  /** Per-segment precedence, lower is more specific. */
  rank: number[];
  match(pathname: string): Record<string, string> | undefined;
}

const CONSTRAINTS: Record<string, string> = {
  int: '-?\\d+',
  long: '-?\\d+',
  bool: '(?:true|false)',
  alpha: '[A-Za-z]+',
  double: '-?\\d+(?:\\.\\d+)?',
  float: '-?\\d+(?:\\.\\d+)?',
  decimal: '-?\\d+(?:\\.\\d+)?',
  guid: '[0-9A-Fa-f]{8}-?(?:[0-9A-Fa-f]{4}-?){3}[0-9A-Fa-f]{12}',
};

const WHOLE_PARAM = /^\{(\*)?([A-Za-z_][\w]*)((?::[^}?=]+)*)(\?)?\}$/;
const INLINE_PARAM = /\{([A-Za-z_][\w]*)((?::[^}?=]+)*)\}/g;

function constraintPattern(constraints: string): string {
  const first = constraints.split(':').filter(Boolean)[0]?.replace(/\(.*$/, '').toLowerCase();
  return (first && CONSTRAINTS[first]) ?? '[^/]+';
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

interface CompiledSegment {
  source: string;
  names: string[];
  rank: number;
}

function compileSegment(segment: string): CompiledSegment {
  const whole = WHOLE_PARAM.exec(segment);
  if (whole?.[1]) return { source: '(?:/(.*))?', names: [whole[2] ?? ''], rank: 5 };
  if (whole?.[4]) return { source: `(?:/(${constraintPattern(whole[3] ?? '')}))?`, names: [whole[2] ?? ''], rank: 4 };
  const names: string[] = [];
  let source = '/';
  let last = 0;
  let constrained = false;
  for (const param of segment.matchAll(INLINE_PARAM)) {
    source += escapeRegExp(segment.slice(last, param.index)) + `(${constraintPattern(param[2] ?? '')})`;
    names.push(param[1] ?? '');
    constrained ||= Boolean(param[2]);
    last = param.index + param[0].length;
  }
  source += escapeRegExp(segment.slice(last));
  return { source, names, rank: names.length === 0 ? 1 : constrained ? 2 : 3 };
}

export function compileRoute(template: string): CompiledRoute {
  const segments = template.split('/').filter(Boolean).map(compileSegment);
  const names = segments.flatMap((segment) => segment.names);
  const pattern = new RegExp(`^${segments.map((segment) => segment.source).join('')}/?$`, 'i');
  return {
    template,
    rank: segments.map((segment) => segment.rank),
    match(pathname) {
      const found = pattern.exec(pathname);
      if (!found) return undefined;
      const params: Record<string, string> = {};
      names.forEach((name, index) => {
        const value = found[index + 1];
        if (value !== undefined) params[name] = decodeURIComponent(value);
      });
      return params;
    },
  };
}

/** Sort comparator: more specific routes first. */
export function byPrecedence(a: CompiledRoute, b: CompiledRoute): number {
  for (let i = 0; i < Math.max(a.rank.length, b.rank.length); i++) {
    const difference = (a.rank[i] ?? 0) - (b.rank[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}
