import { existsSync, readFileSync, writeFileSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { DlrunError } from '../../base/errors.js';
import { MAX_NAME_LENGTH } from '../../spec/job-schema.js';
import { packageRoot } from '../../util/package-root.js';
import { booleanFlag, stringFlag, type CommandInput } from '../command.js';
import { writing } from '../write-errors.js';

const NAME = /^[a-z0-9][a-z0-9-]*$/;

/** `dlrun init [DIR]`: a commented job.yaml (and a .dlrunignore when there is none) from templates/init/. */
export async function run(input: CommandInput): Promise<number> {
  const { io } = input;
  const dir = path.resolve(io.cwd, input.positionals[0] ?? '.');
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new DlrunError(`${dir} is a file, not a folder`);
  const name = stringFlag(input, 'name') ?? nameFromFolder(dir);
  if (!NAME.test(name) || name.length > MAX_NAME_LENGTH) {
    throw new DlrunError(
      `'${name}' is not a job name: lowercase letters, digits and '-', at most ${MAX_NAME_LENGTH} characters`,
      {
        hint: `try --name ${nameFromFolder(name)}`,
      },
    );
  }
  const jobFile = path.join(dir, 'job.yaml');
  if (existsSync(jobFile) && !booleanFlag(input, 'force')) {
    throw new DlrunError(`${path.relative(io.cwd, jobFile) || 'job.yaml'} already exists`, {
      hint: 'pass --force to overwrite it',
    });
  }
  const templates = path.join(packageRoot(), 'templates', 'init');
  const jobText = readFileSync(path.join(templates, 'job.yaml'), 'utf8').replace('{{name}}', name);
  const elsewhere = 'choose a folder you can write to: dlrun init DIR';
  writing(dir, elsewhere, () => mkdirSync(dir, { recursive: true }));
  writing(jobFile, elsewhere, () => writeFileSync(jobFile, jobText));
  const written = [jobFile];
  const ignoreFile = path.join(dir, '.dlrunignore');
  if (!existsSync(ignoreFile)) {
    writing(ignoreFile, elsewhere, () =>
      writeFileSync(ignoreFile, readFileSync(path.join(templates, 'dlrunignore'), 'utf8')),
    );
    written.push(ignoreFile);
  }
  const shown = written.map((file) => path.relative(io.cwd, file) || file);
  if (booleanFlag(input, 'json')) {
    io.out(JSON.stringify({ name, files: shown }));
  } else {
    for (const file of shown) io.out(file);
    io.err(`wrote ${shown.join(' and ')}; next: edit 'run:' to train your model, then 'dlrun validate ${shown[0]}'`);
  }
  return 0;
}

/** A valid job name from a folder name: "My Project_2" -> "my-project-2". */
export function nameFromFolder(folder: string): string {
  const name = path
    .basename(folder)
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, MAX_NAME_LENGTH)
    .replace(/-+$/, '');
  return name || 'my-job';
}
