import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'vitest';
import { REPO_ROOT } from '../support/paths.js';

// Without the trailing separator REPO_ROOT has.
const ROOT = path.resolve(REPO_ROOT);

/** Every Markdown file a newcomer reads: the README, docs/, and those beside the code. */
function markdownFiles(folder = ROOT): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (['node_modules', 'dist', '.git'].includes(entry.name)) continue;
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) found.push(...markdownFiles(full));
    else if (entry.name.endsWith('.md')) found.push(full);
  }
  return found;
}

test('no doc links outside the repository, and every relative link leads to a file that exists', () => {
  const files = markdownFiles();
  assert.ok(
    files.some((file) => file.endsWith(`${path.sep}README.md`)),
    'the README is among them',
  );
  const problems: string[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const shown = path.relative(ROOT, file);
    for (const match of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = match[1]!;
      if (/^(https?:|mailto:|#)/.test(target)) continue;
      const resolved = path.resolve(path.dirname(file), target.split('#')[0]!);
      if (!resolved.startsWith(`${ROOT}${path.sep}`)) problems.push(`${shown}: ${target} leads outside the repository`);
      else if (!existsSync(resolved)) problems.push(`${shown}: ${target} does not exist`);
    }
    // A path to the design notes beside the repository is a link a newcomer cannot follow either.
    for (const match of text.matchAll(/`(\.\.\/[^`]*)`/g)) {
      const resolved = path.resolve(path.dirname(file), match[1]!);
      if (!resolved.startsWith(`${ROOT}${path.sep}`) || !existsSync(resolved))
        problems.push(`${shown}: \`${match[1]}\` is not a file of the repository`);
    }
  }
  assert.deepEqual(problems, []);
});
