/**
 * metav1.LabelSelector: matchLabels and matchExpressions are ANDed; an empty selector
 * matches everything. Compiled once into requirements, then matched many times.
 */
export type Labels = Readonly<Record<string, string>>;

export type Operator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
const OPERATORS: readonly string[] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

export interface Requirement {
  key: string;
  operator: Operator;
  values: readonly string[];
}

export class SelectorError extends Error {
  constructor(
    message: string,
    /** Path below the selector, e.g. `matchExpressions[0].operator`. */
    readonly field: string,
  ) {
    super(message);
  }
}

export class LabelSelector {
  /** A canonical text, equal for selectors that select the same objects by construction. */
  readonly key: string;
  private readonly valueSets: (ReadonlySet<string> | undefined)[];

  constructor(readonly requirements: readonly Requirement[]) {
    const sorted = [...requirements].sort((a, b) =>
      a.key === b.key ? a.operator.localeCompare(b.operator) : a.key < b.key ? -1 : 1,
    );
    this.requirements = sorted;
    this.key = sorted.map((r) => `${r.key} ${r.operator} (${[...r.values].sort().join(',')})`).join('; ');
    this.valueSets = sorted.map((r) => (r.values.length ? new Set(r.values) : undefined));
  }

  static readonly everything = new LabelSelector([]);

  isEmpty(): boolean {
    return this.requirements.length === 0;
  }

  keys(): string[] {
    return this.requirements.map((r) => r.key);
  }

  matches(labels: Labels): boolean {
    for (let i = 0; i < this.requirements.length; i++) {
      const r = this.requirements[i]!;
      const value = labels[r.key];
      switch (r.operator) {
        case 'In':
          if (value === undefined || !this.valueSets[i]!.has(value)) return false;
          break;
        case 'NotIn':
          if (value !== undefined && this.valueSets[i]!.has(value)) return false;
          break;
        case 'Exists':
          if (value === undefined) return false;
          break;
        case 'DoesNotExist':
          if (value !== undefined) return false;
          break;
      }
    }
    return true;
  }

  /** kubectl's selector syntax, for people: `app=web,tier in (a,b),!legacy`. */
  toString(): string {
    if (this.isEmpty()) return '{}';
    return this.requirements
      .map((r) => {
        switch (r.operator) {
          case 'In':
            return r.values.length === 1 ? `${r.key}=${r.values[0]}` : `${r.key} in (${r.values.join(',')})`;
          case 'NotIn':
            return `${r.key} notin (${r.values.join(',')})`;
          case 'Exists':
            return r.key;
          case 'DoesNotExist':
            return `!${r.key}`;
        }
      })
      .join(',');
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses the API object; throws SelectorError naming the offending field (validation as the API server does it). */
export function parseLabelSelector(raw: unknown): LabelSelector {
  if (raw === undefined || raw === null) return LabelSelector.everything;
  if (!isRecord(raw)) throw new SelectorError('must be an object', '');
  const requirements: Requirement[] = [];
  const { matchLabels, matchExpressions } = raw;
  if (matchLabels !== undefined && matchLabels !== null) {
    if (!isRecord(matchLabels)) throw new SelectorError('must be a map of strings', 'matchLabels');
    for (const [key, value] of Object.entries(matchLabels)) {
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
        throw new SelectorError('must be a string', `matchLabels.${key}`);
      }
      requirements.push({ key, operator: 'In', values: [String(value)] });
    }
  }
  if (matchExpressions !== undefined && matchExpressions !== null) {
    if (!Array.isArray(matchExpressions)) throw new SelectorError('must be a list', 'matchExpressions');
    matchExpressions.forEach((expr: unknown, i) => {
      const at = `matchExpressions[${i}]`;
      if (!isRecord(expr)) throw new SelectorError('must be an object', at);
      const { key, operator, values } = expr;
      if (typeof key !== 'string' || key === '') throw new SelectorError('key is required', `${at}.key`);
      if (typeof operator !== 'string' || !OPERATORS.includes(operator)) {
        throw new SelectorError(
          `unknown operator ${JSON.stringify(operator)} (expected In, NotIn, Exists or DoesNotExist)`,
          `${at}.operator`,
        );
      }
      const list = values === undefined || values === null ? [] : values;
      if (!Array.isArray(list)) throw new SelectorError('must be a list', `${at}.values`);
      const strings = list.map(String);
      if ((operator === 'In' || operator === 'NotIn') && strings.length === 0) {
        throw new SelectorError(`must be non-empty when operator is ${operator}`, `${at}.values`);
      }
      if ((operator === 'Exists' || operator === 'DoesNotExist') && strings.length > 0) {
        throw new SelectorError(`must be empty when operator is ${operator}`, `${at}.values`);
      }
      requirements.push({ key, operator: operator as Operator, values: strings });
    });
  }
  return new LabelSelector(requirements);
}
