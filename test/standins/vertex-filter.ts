/**
 * The `filter` of customJobs.list: the AIP-160 subset the method documents [V]:
 * - display_name (also displayName, as the v1beta1 page spells it): =, != and the : wildcard;
 * - state: =, !=;
 * - create_time (createTime): =, !=, <, <=, >, >= against an RFC 3339 time;
 * - labels: labels.key=value, labels.key:* (the key exists), labels.key:value;
 * - AND, OR, NOT and parentheses; as in AIP-160, OR binds tighter than AND, and terms side by side are ANDed.
 * Anything else is refused with 400 INVALID_ARGUMENT ([U] the message; Vertex's own words were not found).
 */
import { JOB_STATES, type JsonObject } from './vertex-validation.js';
import { VertexError } from './vertex-status.js';

type Comparator = '=' | '!=' | '<' | '<=' | '>' | '>=' | ':';

type Node =
  | { readonly kind: 'and' | 'or'; readonly items: readonly Node[] }
  | { readonly kind: 'not'; readonly item: Node }
  | { readonly kind: 'compare'; readonly field: string; readonly op: Comparator; readonly value: string };

type Token =
  | { readonly kind: 'word'; readonly text: string }
  | { readonly kind: 'string'; readonly text: string }
  | { readonly kind: 'op'; readonly text: Comparator }
  | { readonly kind: '(' | ')' };

const refuse = (why: string): VertexError => new VertexError('INVALID_ARGUMENT', `Invalid filter: ${why}`);

function tokenize(filter: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < filter.length) {
    const char = filter[at]!;
    if (/\s/.test(char)) {
      at += 1;
    } else if (char === '(' || char === ')') {
      tokens.push({ kind: char });
      at += 1;
    } else if (char === '"' || char === "'") {
      let text = '';
      at += 1;
      while (at < filter.length && filter[at] !== char) {
        if (filter[at] === '\\' && at + 1 < filter.length) at += 1;
        text += filter[at];
        at += 1;
      }
      if (at >= filter.length) throw refuse('a string is not closed');
      at += 1;
      tokens.push({ kind: 'string', text });
    } else {
      const op = ['!=', '<=', '>=', '=', '<', '>', ':'].find((candidate) => filter.startsWith(candidate, at));
      if (op) {
        tokens.push({ kind: 'op', text: op as Comparator });
        at += op.length;
      } else if (char === '!') {
        throw refuse(`unexpected "!" at ${at}`);
      } else {
        const word = /^[^\s()"'=!<>:]+/.exec(filter.slice(at))![0];
        tokens.push({ kind: 'word', text: word });
        at += word.length;
      }
    }
  }
  return tokens;
}

class Parser {
  private at = 0;
  constructor(private readonly tokens: readonly Token[]) {}

  private peek(): Token | undefined {
    return this.tokens[this.at];
  }

  private isWord(text: string): boolean {
    const token = this.peek();
    return token?.kind === 'word' && token.text === text;
  }

  parse(): Node | undefined {
    if (this.tokens.length === 0) return undefined;
    const node = this.expression();
    if (this.at < this.tokens.length) throw refuse(`unexpected ${describe(this.peek()!)}`);
    return node;
  }

  /** expression: sequence { AND sequence } */
  private expression(): Node {
    const items = [this.sequence()];
    while (this.isWord('AND')) {
      this.at += 1;
      items.push(this.sequence());
    }
    return items.length === 1 ? items[0]! : { kind: 'and', items };
  }

  /** sequence: factor { factor } (side by side: AND) */
  private sequence(): Node {
    const items = [this.factor()];
    for (;;) {
      const next = this.peek();
      if (next === undefined || next.kind === ')' || this.isWord('AND') || this.isWord('OR')) break;
      items.push(this.factor());
    }
    return items.length === 1 ? items[0]! : { kind: 'and', items };
  }

  /** factor: term { OR term } */
  private factor(): Node {
    const items = [this.term()];
    while (this.isWord('OR')) {
      this.at += 1;
      items.push(this.term());
    }
    return items.length === 1 ? items[0]! : { kind: 'or', items };
  }

  /** term: [NOT] simple */
  private term(): Node {
    if (this.isWord('NOT')) {
      this.at += 1;
      return { kind: 'not', item: this.term() };
    }
    const token = this.peek();
    if (token?.kind === '(') {
      this.at += 1;
      const inner = this.expression();
      if (this.peek()?.kind !== ')') throw refuse('a parenthesis is not closed');
      this.at += 1;
      return inner;
    }
    return this.restriction();
  }

  private restriction(): Node {
    const field = this.peek();
    if (field?.kind !== 'word') throw refuse(field ? `unexpected ${describe(field)}` : 'the filter ends too early');
    const op = this.tokens[this.at + 1];
    if (op?.kind !== 'op')
      throw refuse(`"${field.text}" must be compared with something (for example ${field.text}="x")`);
    const value = this.tokens[this.at + 2];
    if (value?.kind !== 'word' && value?.kind !== 'string') throw refuse(`no value after "${field.text}${op.text}"`);
    this.at += 3;
    return { kind: 'compare', field: field.text, op: op.text, value: value.text };
  }
}

function describe(token: Token): string {
  return 'text' in token ? `"${token.text}"` : `"${token.kind}"`;
}

/** Whole-string match where `*` stands for any run of characters. */
function wildcard(pattern: string, text: string): boolean {
  const escaped = pattern.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`, 's').test(text);
}

function compareOrder(op: Comparator, left: number, right: number): boolean {
  switch (op) {
    case '=':
      return left === right;
    case '!=':
      return left !== right;
    case '<':
      return left < right;
    case '<=':
      return left <= right;
    case '>':
      return left > right;
    case '>=':
      return left >= right;
    default:
      return false;
  }
}

/** Checks a parsed restriction once, so that a bad filter is refused even when there are no jobs to test. */
function check(node: Node): void {
  if (node.kind === 'not') return check(node.item);
  if (node.kind !== 'compare') return node.items.forEach(check);
  const { field, op, value } = node;
  if (field === 'state') {
    if (op !== '=' && op !== '!=') throw refuse(`state supports only = and !=, not ${op}`);
    if (!(JOB_STATES as readonly string[]).includes(value)) throw refuse(`"${value}" is not a JobState`);
  } else if (field === 'display_name' || field === 'displayName') {
    if (op !== '=' && op !== '!=' && op !== ':') throw refuse(`display_name supports only =, != and :, not ${op}`);
  } else if (field === 'create_time' || field === 'createTime') {
    if (op === ':') throw refuse('create_time does not support :');
    if (Number.isNaN(Date.parse(value))) throw refuse(`"${value}" is not an RFC 3339 time`);
  } else if (field === 'labels') {
    if (op !== ':') throw refuse('labels supports labels.key=value, labels.key:* and labels:key');
  } else if (field.startsWith('labels.')) {
    if (op !== '=' && op !== '!=' && op !== ':') throw refuse(`labels supports only =, != and :, not ${op}`);
  } else {
    throw refuse(`unsupported field "${field}"`);
  }
}

function matches(node: Node, job: JsonObject): boolean {
  if (node.kind === 'not') return !matches(node.item, job);
  if (node.kind !== 'compare')
    return node.kind === 'and'
      ? node.items.every((item) => matches(item, job))
      : node.items.some((item) => matches(item, job));
  const { field, op, value } = node;
  const labels = (job.labels ?? {}) as Record<string, string>;
  if (field === 'state') return (job.state === value) === (op === '=');
  if (field === 'display_name' || field === 'displayName') {
    const name = String(job.displayName ?? '');
    if (op === ':') return wildcard(value, name);
    return (name === value) === (op === '=');
  }
  if (field === 'create_time' || field === 'createTime')
    return compareOrder(op, Date.parse(String(job.createTime)), Date.parse(value));
  if (field === 'labels') return Object.hasOwn(labels, value);
  const key = field.slice('labels.'.length);
  const has = Object.hasOwn(labels, key);
  if (op === ':') return value === '*' ? has : has && wildcard(value, labels[key]!);
  return (has && labels[key] === value) === (op === '=');
}

/** A job predicate for a list `filter` (every job when there is none); a VertexError for a filter it cannot read. */
export function jobFilter(filter: string | undefined): (job: JsonObject) => boolean {
  const tree = new Parser(tokenize(filter ?? '')).parse();
  if (tree === undefined) return () => true;
  check(tree);
  return (job) => matches(tree, job);
}
