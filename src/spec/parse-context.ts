import {
  isAlias,
  isCollection,
  isScalar,
  visit,
  type Alias,
  type Document,
  type LineCounter,
  type Node as YamlNode,
} from 'yaml';
import type { Finding } from '../base/finding.js';
import { formatPath, type FieldPath, type ParseContext, type ProblemOptions } from './schema/schema-type.js';
import { nodePosition, type Position } from './yaml-document.js';

/**
 * Aliases are resolved one at a time as the schema walks the document (never expanded as a whole), so anchors
 * that would expand without end ("billion laughs") cost no more than the aliases written; this cap only bounds
 * a file that is nothing but aliases.
 */
const MAX_ALIAS_RESOLUTIONS = 10_000;
/** Past this many problems the rest are noise; the user fixes these first. */
export const MAX_PROBLEMS = 50;

export class JobParseContext implements ParseContext {
  readonly findings: Finding[] = [];
  readonly positions: Record<string, Position> = {};
  readonly nodes = new Map<string, YamlNode>();
  private aliasResolutions = 0;
  private aliasTargets: Map<Alias, YamlNode | undefined> | undefined;

  constructor(
    private readonly document: Document.Parsed,
    private readonly lineCounter: LineCounter,
    private readonly file: string,
  ) {}

  resolve(node: YamlNode | null | undefined, path: FieldPath): YamlNode | null | undefined {
    if (!isAlias(node)) return node ?? null;
    if (++this.aliasResolutions > MAX_ALIAS_RESOLUTIONS) {
      this.problem(
        node,
        path,
        `aliases are used more than ${MAX_ALIAS_RESOLUTIONS} times; a job file does not need that many`,
        { rule: 'yaml-syntax' },
      );
      return undefined;
    }
    const target = this.anchorOf(node);
    if (target === undefined) {
      this.problem(node, path, `alias *${node.source} refers to no anchor &${node.source} written above it`, {
        rule: 'yaml-syntax',
      });
      return undefined;
    }
    return isAlias(target) ? this.resolve(target, path) : target;
  }

  /**
   * The node an alias stands for: the last anchor of its name written before it. Found for every alias in one
   * walk, because the yaml library's Alias.resolve walks the whole document on each call, and a file of many
   * aliases would take minutes.
   */
  private anchorOf(alias: Alias): YamlNode | undefined {
    if (!this.aliasTargets) {
      const targets = new Map<Alias, YamlNode | undefined>();
      const anchors = new Map<string, YamlNode>();
      visit(this.document, {
        Node: (_key, node) => {
          if (isAlias(node)) targets.set(node, anchors.get(node.source));
          else if ((isScalar(node) || isCollection(node)) && node.anchor) anchors.set(node.anchor, node);
        },
      });
      this.aliasTargets = targets;
    }
    return this.aliasTargets.get(alias);
  }

  problem(node: YamlNode | null | undefined, path: FieldPath, message: string, options: ProblemOptions = {}): void {
    if (this.findings.length >= MAX_PROBLEMS) return;
    const position = nodePosition(node, this.lineCounter);
    const field = formatPath(path);
    this.findings.push({
      rule: options.rule ?? 'invalid-value',
      severity: 'error',
      file: this.file,
      line: position?.line ?? 1,
      column: position?.column ?? null,
      message: field ? `${field}: ${message}` : message,
      ...(options.suggestion !== undefined ? { suggestion: options.suggestion } : {}),
      ...(options.hint !== undefined ? { hint: options.hint } : {}),
    });
  }

  record(path: FieldPath, node: YamlNode | null | undefined): void {
    const position = nodePosition(node, this.lineCounter);
    if (!position || !node) return;
    const key = formatPath(path);
    this.positions[key] = position;
    this.nodes.set(key, node);
  }
}
