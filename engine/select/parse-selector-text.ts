import { LabelSelector, type Requirement } from './label-selector.js';

/**
 * kubectl's selector syntax (`-l`), as k8s.io/apimachinery/pkg/labels parses it:
 *
 *   selector    ::= "" | requirement ("," requirement)*
 *   requirement ::= "!" KEY | KEY | KEY ("=" | "==" | "!=") VALUE | KEY ("in" | "notin") "(" VALUE ("," VALUE)* ")"
 *
 * Keys and values are validated as the API server validates labels. Positions in errors are
 * 1-based characters (code points), so a message points at the character to fix.
 */
export class SelectorTextError extends Error {
  constructor(
    /** 1-based position of the offending character in the selector text. */
    readonly position: number,
    readonly reason: string,
  ) {
    super(`at position ${position}: ${reason}`);
    this.name = 'SelectorTextError';
  }
}

type TokenKind = 'word' | '!' | '=' | '==' | '!=' | '(' | ')' | ',' | '<' | '>' | 'end';

interface Token {
  kind: TokenKind;
  text: string;
  /** 1-based code point position of the first character. */
  position: number;
}

const SPECIAL = new Set(['!', '=', '(', ')', ',', '<', '>']);
const QUOTES = new Set(['"', "'", '`']);
const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r';

/** Quoted tokens in messages, cut short: a 10k-character value is not echoed back. */
function show(text: string): string {
  const chars = Array.from(text);
  return JSON.stringify(chars.length > 40 ? `${chars.slice(0, 40).join('')}…` : text);
}

function tokenize(text: string): Token[] {
  const chars = Array.from(text);
  const tokens: Token[] = [];
  let i = 0;
  while (i < chars.length) {
    const c = chars[i]!;
    if (isSpace(c)) {
      i++;
      continue;
    }
    const position = i + 1;
    if (QUOTES.has(c)) {
      throw new SelectorTextError(position, `quotes are not part of selector syntax; write app=web, not app="web"`);
    }
    if (c === '=' || c === '!') {
      const two = chars[i + 1] === '=';
      const kind: TokenKind = c === '=' ? (two ? '==' : '=') : two ? '!=' : '!';
      tokens.push({ kind, text: kind, position });
      i += two ? 2 : 1;
      continue;
    }
    if (SPECIAL.has(c)) {
      tokens.push({ kind: c as TokenKind, text: c, position });
      i++;
      continue;
    }
    let j = i;
    while (j < chars.length && !isSpace(chars[j]!) && !SPECIAL.has(chars[j]!)) {
      if (QUOTES.has(chars[j]!)) {
        throw new SelectorTextError(j + 1, `quotes are not part of selector syntax; write app=web, not app="web"`);
      }
      j++;
    }
    tokens.push({ kind: 'word', text: chars.slice(i, j).join(''), position });
    i = j;
  }
  tokens.push({ kind: 'end', text: '', position: chars.length + 1 });
  return tokens;
}

const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The first character outside ASCII letters, digits, `-`, `_`, `.` (and `/` in keys), if any. */
function badCharacter(text: string, allowSlash: boolean): { char: string; offset: number } | undefined {
  const chars = Array.from(text);
  const offset = chars.findIndex((c) => !/^[-A-Za-z0-9_.]$/.test(c) && !(allowSlash && c === '/'));
  return offset === -1 ? undefined : { char: chars[offset]!, offset };
}

/** metav1 qualified name: `[prefix/]name`, prefix a DNS subdomain of at most 253, name at most 63. */
function checkKey(token: Token): string {
  const key = token.text;
  const bad = badCharacter(key, true);
  if (bad) {
    throw new SelectorTextError(token.position + bad.offset, `invalid character ${show(bad.char)} in label key`);
  }
  const slash = key.indexOf('/');
  const prefix = slash === -1 ? undefined : key.slice(0, slash);
  const name = slash === -1 ? key : key.slice(slash + 1);
  if (prefix !== undefined) {
    if (prefix.length === 0 || prefix.length > 253 || !prefix.split('.').every((l) => DNS_LABEL.test(l))) {
      throw new SelectorTextError(
        token.position,
        `label key prefix ${show(prefix)} must be a DNS subdomain (lowercase letters, digits, '-' and '.', at most 253 characters)`,
      );
    }
  }
  if (name.length === 0 || name.length > 63 || !NAME.test(name)) {
    throw new SelectorTextError(
      token.position,
      `label key ${show(key)}: the name part must be 1-63 characters of letters, digits, '-', '_' or '.', starting and ending with a letter or digit`,
    );
  }
  return key;
}

function checkValue(token: Token): string {
  const value = token.text;
  const bad = badCharacter(value, false);
  if (bad) {
    throw new SelectorTextError(token.position + bad.offset, `invalid character ${show(bad.char)} in label value`);
  }
  if (value.length > 63) {
    throw new SelectorTextError(
      token.position,
      `label value ${show(value)} is ${value.length} characters long; at most 63 are allowed`,
    );
  }
  if (value !== '' && !NAME.test(value)) {
    throw new SelectorTextError(token.position, `label value ${show(value)} must start and end with a letter or digit`);
  }
  return value;
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.i]!;
  }

  private next(): Token {
    return this.tokens[this.i++]!;
  }

  private fail(token: Token, expected: string): never {
    const found = token.kind === 'end' ? 'the end' : show(token.text);
    throw new SelectorTextError(token.position, `expected ${expected}, found ${found}`);
  }

  selector(): Requirement[] {
    const requirements: Requirement[] = [];
    if (this.peek().kind === 'end') return requirements;
    for (;;) {
      requirements.push(this.requirement());
      const t = this.next();
      if (t.kind === 'end') return requirements;
      if (t.kind !== ',') this.fail(t, `',' between requirements`);
    }
  }

  private requirement(): Requirement {
    const first = this.next();
    if (first.kind === '!') {
      const keyToken = this.next();
      if (keyToken.kind !== 'word') this.fail(keyToken, 'a label key after "!"');
      const key = checkKey(keyToken);
      const after = this.peek();
      if (after.kind !== ',' && after.kind !== 'end') this.fail(after, `',' or the end after !${key}`);
      return { key, operator: 'DoesNotExist', values: [] };
    }
    if (first.kind !== 'word') this.fail(first, 'a label key');
    const key = checkKey(first);
    const op = this.peek();
    switch (op.kind) {
      case ',':
      case 'end':
        return { key, operator: 'Exists', values: [] };
      case '=':
      case '==':
      case '!=': {
        this.next();
        const v = this.peek();
        // `key=` is the empty value, as kubectl reads it.
        const value = v.kind === 'word' ? checkValue(this.next()) : '';
        if (v.kind !== 'word' && v.kind !== ',' && v.kind !== 'end') this.fail(v, `a label value after "${op.text}"`);
        return { key, operator: op.kind === '!=' ? 'NotIn' : 'In', values: [value] };
      }
      case '<':
      case '>':
        throw new SelectorTextError(op.position, `"${op.text}" (Gt/Lt) applies to node selectors, not labels of pods`);
      case 'word':
        if (op.text === 'in' || op.text === 'notin') {
          this.next();
          return { key, operator: op.text === 'in' ? 'In' : 'NotIn', values: this.valueSet(op.text) };
        }
        return this.fail(op, `an operator (=, ==, !=, in, notin) or ',' after ${show(key)}`);
      default:
        return this.fail(op, `an operator (=, ==, !=, in, notin) or ',' after ${show(key)}`);
    }
  }

  private valueSet(operator: string): string[] {
    const open = this.next();
    if (open.kind !== '(') this.fail(open, `"(" after ${operator}`);
    if (this.peek().kind === ')') {
      throw new SelectorTextError(this.peek().position, `${operator} needs at least one value`);
    }
    const values: string[] = [];
    for (;;) {
      const v = this.peek();
      // `in (a,,b)` and `in (a,)` hold the empty value, as in kubectl.
      values.push(v.kind === 'word' ? checkValue(this.next()) : '');
      const t = this.next();
      if (t.kind === ')') return values;
      if (t.kind !== ',') this.fail(t, `',' or ")" in the value list of ${operator}`);
    }
  }
}

/** Parses `app=web,tier in (a,b),!legacy` into a LabelSelector; throws SelectorTextError naming the position. */
export function parseSelectorText(text: string): LabelSelector {
  return new LabelSelector(new Parser(tokenize(text)).selector());
}
