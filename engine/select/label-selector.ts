import { labelKeyProblem, labelValueProblem } from './label-syntax.js';

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

export interface SelectorProblem {
  message: string;
  /** Path below the selector, e.g. `matchExpressions[0].operator`; empty for the selector itself. */
  field: string;
}

/** A selector's problems, every one of them, in the order they appear in it. */
export class SelectorError extends Error {
  constructor(readonly problems: readonly SelectorProblem[]) {
    super(problems.map((p) => (p.field ? `${p.field}: ${p.message}` : p.message)).join('; '));
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

/**
 * Parses the API object, validated as the API server does it (ValidateLabelSelector): throws
 * a SelectorError listing every offending field, not only the first. `labelSyntax: false` skips
 * the label key and value syntax, for selectors read back from storage that older versions
 * accepted without it.
 */
export function parseLabelSelector(
  raw: unknown,
  { labelSyntax = true }: { labelSyntax?: boolean } = {},
): LabelSelector {
  if (raw === undefined || raw === null) return LabelSelector.everything;
  if (!isRecord(raw)) throw new SelectorError([{ message: 'must be an object', field: '' }]);
  const requirements: Requirement[] = [];
  const problems: SelectorProblem[] = [];
  const problem = (message: string, field: string) => problems.push({ message, field });
  const checkLabel = (key: string, keyField: string, value: string | undefined, valueField: string) => {
    if (!labelSyntax) return;
    const keyProblem = labelKeyProblem(key);
    if (keyProblem) problem(keyProblem, keyField);
    const valueProblem = value === undefined ? undefined : labelValueProblem(value);
    if (valueProblem) problem(valueProblem, valueField);
  };
  const { matchLabels, matchExpressions } = raw;
  if (matchLabels !== undefined && matchLabels !== null) {
    if (!isRecord(matchLabels)) problem('must be a map of strings', 'matchLabels');
    else {
      for (const [key, value] of Object.entries(matchLabels)) {
        if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
          problem('must be a string', `matchLabels.${key}`);
          continue;
        }
        checkLabel(key, `matchLabels.${key}`, String(value), `matchLabels.${key}`);
        requirements.push({ key, operator: 'In', values: [String(value)] });
      }
    }
  }
  if (matchExpressions !== undefined && matchExpressions !== null) {
    if (!Array.isArray(matchExpressions)) problem('must be a list', 'matchExpressions');
    else
      matchExpressions.forEach((expr: unknown, i) => {
        const at = `matchExpressions[${i}]`;
        if (!isRecord(expr)) return problem('must be an object', at);
        const { key, operator, values } = expr;
        const before = problems.length;
        if (typeof key !== 'string' || key === '') problem('key is required', `${at}.key`);
        else checkLabel(key, `${at}.key`, undefined, '');
        const known = typeof operator === 'string' && OPERATORS.includes(operator);
        if (!known) {
          problem(
            `unknown operator ${JSON.stringify(operator)} (expected In, NotIn, Exists or DoesNotExist)`,
            `${at}.operator`,
          );
        }
        const list = values === undefined || values === null ? [] : values;
        if (!Array.isArray(list)) return problem('must be a list', `${at}.values`);
        const strings = list.map(String);
        strings.forEach((v, j) => {
          const valueProblem = labelSyntax ? labelValueProblem(v) : undefined;
          if (valueProblem) problem(valueProblem, `${at}.values[${j}]`);
        });
        if ((operator === 'In' || operator === 'NotIn') && strings.length === 0) {
          problem(`must be non-empty when operator is ${operator}`, `${at}.values`);
        }
        if ((operator === 'Exists' || operator === 'DoesNotExist') && strings.length > 0) {
          problem(`must be empty when operator is ${operator}`, `${at}.values`);
        }
        if (problems.length === before)
          requirements.push({ key: key as string, operator: operator as Operator, values: strings });
      });
  }
  if (problems.length > 0) throw new SelectorError(problems);
  return new LabelSelector(requirements);
}
