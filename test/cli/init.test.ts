import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'vitest';
import { nameFromFolder } from '../../src/cli/commands/init.js';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-dir.js';

test(
  'dlrun init writes a commented job.yaml named after the folder, and a .dlrunignore, ' + 'that validate accepts',
  async (t) => {
    const root = tempDir(t);
    const project = path.join(root, 'My Project_2');
    mkdirSync(project);
    const init = await runCli(['init'], { cwd: project, home: root });
    assert.equal(init.code, 0, init.stderr);
    assert.deepEqual(init.stdout.trim().split('\n'), ['job.yaml', '.dlrunignore']);
    const job = readFileSync(path.join(project, 'job.yaml'), 'utf8');
    assert.match(job, /^name: my-project-2\b/m);
    assert.match(job, /^# /m, 'commented');
    assert.match(readFileSync(path.join(project, '.dlrunignore'), 'utf8'), /^\.env$/m);
    // The scaffold runs train.py after installing requirements.txt: validate says so until they exist.
    const empty = JSON.parse(
      (await runCli(['validate', 'job.yaml', '--json'], { cwd: project, home: root })).stdout,
    ) as {
      ok: boolean;
      findings: { rule: string; message: string }[];
    };
    assert.equal(empty.ok, false);
    assert.deepEqual(
      empty.findings.map((finding) => finding.rule),
      ['missing-input', 'missing-input'],
    );
    writeFileSync(path.join(project, 'requirements.txt'), 'numpy\n');
    writeFileSync(path.join(project, 'train.py'), 'print("training")\n');
    const validate = await runCli(['validate', 'job.yaml', '--json'], { cwd: project, home: root });
    assert.equal(validate.code, 0, validate.stdout);
    assert.deepEqual(JSON.parse(validate.stdout), { ok: true, findings: [] });
  },
);

test('dlrun init never overwrites a job.yaml without --force, nor an existing .dlrunignore', async (t) => {
  const root = tempDir(t);
  writeFileSync(path.join(root, 'job.yaml'), 'name: mine\nrun: echo mine\n');
  writeFileSync(path.join(root, '.dlrunignore'), 'keep-me\n');
  const refused = await runCli(['init'], { cwd: root, home: root });
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /job\.yaml already exists/);
  assert.match(refused.stderr, /--force/);
  assert.equal(readFileSync(path.join(root, 'job.yaml'), 'utf8'), 'name: mine\nrun: echo mine\n');
  const forced = await runCli(['init', '--force', '--name', 'renamed', '--json'], { cwd: root, home: root });
  assert.equal(forced.code, 0, forced.stderr);
  assert.deepEqual(JSON.parse(forced.stdout), { name: 'renamed', files: ['job.yaml'] });
  assert.match(readFileSync(path.join(root, 'job.yaml'), 'utf8'), /^name: renamed\b/m);
  assert.equal(readFileSync(path.join(root, '.dlrunignore'), 'utf8'), 'keep-me\n');
});

test('dlrun init DIR creates the folder; an invalid --name is refused with a fix', async (t) => {
  const root = tempDir(t);
  const created = await runCli(['init', 'new/sub'], { cwd: root, home: root });
  assert.equal(created.code, 0, created.stderr);
  assert.ok(existsSync(path.join(root, 'new', 'sub', 'job.yaml')));
  const bad = await runCli(['init', 'other', '--name', 'Bad_Name'], { cwd: root, home: root });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /'Bad_Name' is not a job name/);
  assert.match(bad.stderr, /--name bad-name/);
  assert.ok(!existsSync(path.join(root, 'other', 'job.yaml')), 'nothing written');
});

test('job names from folder names', () => {
  assert.equal(nameFromFolder('/x/My Project_2'), 'my-project-2');
  assert.equal(nameFromFolder('/x/---'), 'my-job');
  assert.equal(nameFromFolder(`/x/${'a'.repeat(60)}`), 'a'.repeat(40));
  assert.equal(nameFromFolder('/x/.hidden'), 'hidden');
});
