import path from 'node:path';
import type { Finding } from '../base/finding.js';
import { readRegularText } from '../util/read-regular-file.js';
import { style as makeStyle, type Style } from './style.js';
import { visibleField } from './visible-text.js';

/** Files larger than this are not read to show a finding's line (a job file is at most 1 MiB, a script 2 MiB). */
const MAX_SHOWN_FILE_BYTES = 4 * 1024 * 1024;

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
      // The file may be anything a repository holds (a FIFO, a link to /dev/zero): only a regular file of a
      // readable size is shown, and a line is all that is wanted of it.
      const text = readRegularText(path.resolve(view.baseDir, file), { maxBytes: MAX_SHOWN_FILE_BYTES });
      sources.set(file, text?.replace(/^\uFEFF/, '').split(/\r?\n/));
    }
    return sources.get(file);
  };
  return findings.map((finding) => renderOne(finding, linesOf(finding.file), view, paint)).join('\n');
}

function renderOne(finding: Finding, lines: string[] | undefined, view: FindingsView, paint: Style): string {
  const shownFile = path.join(view.shownDir, finding.file);
  const place = `${shownFile}:${finding.line}${finding.column === null ? '' : `:${finding.column}`}`;
  const severity =
    finding.severity === 'error'
      ? paint.red('error')
      : finding.severity === 'warning'
        ? paint.yellow('warning')
        : paint.blue('info');
  // Messages and lines quote the job's files, which may come from a cloned repository: shown, never obeyed.
  const suggestion = finding.suggestion === undefined ? '' : `; did you mean '${visibleField(finding.suggestion)}'?`;
  const out = [
    `${paint.bold(visibleField(place))} ${severity} ${paint.dim(finding.rule)} ` +
      `${visibleField(finding.message)}${suggestion}`,
  ];
  const source = lines?.[finding.line - 1];
  if (source !== undefined) {
    const gutter = String(finding.line).padStart(5);
    const shown = visibleField(source.replaceAll('\t', ' '));
    out.push(`${paint.dim(`${gutter} |`)} ${shown}`);
    if (finding.column !== null) {
      const token = /^[^\s:,\]}]*/.exec(shown.slice(finding.column - 1))?.[0] ?? '';
      const marker = `^${'~'.repeat(Math.max(0, Math.min(token.length, 60) - 1))}`;
      out.push(
        `${paint.dim(`${' '.repeat(gutter.length)} |`)} ${' '.repeat(finding.column - 1)}${paint.green(marker)}`,
      );
    }
  }
  if (finding.hint) out.push(`${' '.repeat(6)}= ${paint.dim('hint:')} ${visibleField(finding.hint)}`);
  return out.join('\n');
}

export function summarizeFindings(findings: readonly Finding[]): string {
  const count = (severity: Finding['severity']): number =>
    findings.filter((finding) => finding.severity === severity).length;
  const parts = [
    [count('error'), 'error'],
    [count('warning'), 'warning'],
    [count('info'), 'note'],
  ] as const;
  const said = parts.filter(([n]) => n > 0).map(([n, word]) => `${n} ${word}${n === 1 ? '' : 's'}`);
  return said.length ? said.join(', ') : 'no problems found';
}
