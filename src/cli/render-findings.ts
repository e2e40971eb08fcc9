import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Finding } from '../backend/finding.js';
import { style as makeStyle, type Style } from './style.js';
import { visibleField } from './visible-text.js';

/** A file larger than this is not shown line by line (a job file is at most 1 MiB). */
const MAX_SHOWN_FILE_BYTES = 1024 * 1024;

export interface FindingsView {
  /** Absolute folder the findings' files are relative to (the job file's folder). */
  readonly baseDir: string;
  /** How that folder is shown to the user (relative to where they ran dlrun). */
  readonly shownDir: string;
  readonly color: boolean;
}

/**
 * Findings the way compilers print them: `job.yaml:5:3 error rule message`, the line itself, and a marker
 * under the column, so editors and terminals can jump to the place.
 */
export function renderFindings(findings: readonly Finding[], view: FindingsView): string {
  const paint = makeStyle(view.color);
  const sources = new Map<string, string[] | undefined>();
  const linesOf = (file: string): string[] | undefined => {
    if (!sources.has(file)) {
      try {
        // Only a regular file of a sane size: a finding may be about a FIFO or a device that reading would never end.
        const absolute = path.resolve(view.baseDir, file);
        const stats = statSync(absolute);
        sources.set(file, stats.isFile() && stats.size <= MAX_SHOWN_FILE_BYTES ? readFileSync(absolute, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/) : undefined);
      } catch {
        sources.set(file, undefined);
      }
    }
    return sources.get(file);
  };
  return findings.map((finding) => renderOne(finding, linesOf(finding.file), view, paint)).join('\n');
}

function renderOne(finding: Finding, lines: string[] | undefined, view: FindingsView, paint: Style): string {
  const shownFile = path.join(view.shownDir, finding.file);
  const place = `${shownFile}:${finding.line}${finding.column === null ? '' : `:${finding.column}`}`;
  const severity = finding.severity === 'error' ? paint.red('error') : finding.severity === 'warning' ? paint.yellow('warning') : paint.blue('info');
  // Messages and lines quote the job's files, which may come from a cloned repository: shown, never obeyed.
  const suggestion = finding.suggestion === undefined ? '' : `; did you mean '${visibleField(finding.suggestion)}'?`;
  const out = [`${paint.bold(visibleField(place))} ${severity} ${paint.dim(finding.rule)} ${visibleField(finding.message)}${suggestion}`];
  const source = lines?.[finding.line - 1];
  if (source !== undefined) {
    const gutter = String(finding.line).padStart(5);
    const shown = visibleField(source.replaceAll('\t', ' '));
    out.push(`${paint.dim(`${gutter} |`)} ${shown}`);
    if (finding.column !== null) {
      const token = /^[^\s:,\]}]*/.exec(shown.slice(finding.column - 1))?.[0] ?? '';
      const marker = `^${'~'.repeat(Math.max(0, Math.min(token.length, 60) - 1))}`;
      out.push(`${paint.dim(`${' '.repeat(gutter.length)} |`)} ${' '.repeat(finding.column - 1)}${paint.green(marker)}`);
    }
  }
  if (finding.hint) out.push(`${' '.repeat(6)}= ${paint.dim('hint:')} ${visibleField(finding.hint)}`);
  return out.join('\n');
}

export function summarizeFindings(findings: readonly Finding[]): string {
  const count = (severity: Finding['severity']): number => findings.filter((finding) => finding.severity === severity).length;
  const parts = [
    [count('error'), 'error'],
    [count('warning'), 'warning'],
    [count('info'), 'note'],
  ] as const;
  const said = parts.filter(([n]) => n > 0).map(([n, word]) => `${n} ${word}${n === 1 ? '' : 's'}`);
  return said.length ? said.join(', ') : 'no problems found';
}
