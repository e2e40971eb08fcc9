import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import type { Finding } from '../base/finding.js';
import type { JobSpec } from '../spec/job-spec.js';

/**
 * The folder a job file belongs to: the nearest folder at or above it holding `.git` (a folder, or the file a git
 * worktree or submodule has), else the job file's own folder. A workdir must lie inside it, so that a job file
 * (perhaps in a repository just cloned) cannot ship what lies around the project: `workdir: ../..` would send the
 * user's `~/.aws` and `~/.ssh` along.
 */
export function projectOf(jobDir: string): { folder: string; byGit: boolean } {
  for (let folder = jobDir; ; folder = path.dirname(folder)) {
    if (existsSync(path.join(folder, '.git'))) return { folder, byGit: true };
    if (path.dirname(folder) === folder) return { folder: jobDir, byGit: false };
  }
}

/**
 * Why a workdir must not be shipped, as a finding on the `workdir:` line (or on line 1 when the job file leaves it
 * to its default), or undefined when it is fine: `/`, a folder that is or holds the user's home (`homes`: $HOME and
 * the account's home folder), or a folder outside the job file's project. Paths are compared after following links,
 * so a workdir that is a link to `/` is `/`.
 */
export function workdirBoundsFinding(job: JobSpec, homes: readonly string[]): Finding | undefined {
  const workdir = real(job.workdir);
  const jobDir = real(job.source.dir);
  const project = projectOf(jobDir);
  const written = job.source.positions.workdir;
  // As written (resolved against the job file's folder), and where it leads when that is through a link.
  const given = path.resolve(job.workdir);
  const shown =
    (written ? `workdir: ${given}` : `the workdir (the job file's folder, by default)`) +
    (workdir !== given && written ? ` (${workdir}, following links)` : '');
  const at = (message: string, hint: string): Finding => ({
    rule: 'workdir-bounds',
    severity: 'error',
    file: job.source.file,
    line: written?.line ?? 1,
    column: written?.column ?? null,
    message,
    hint,
  });
  const homeFolders = homes.map(real);
  const holdsHome = (folder: string): string | undefined => homeFolders.find((home) => isInside(folder, home));
  // What to use instead: the project, unless it is itself too wide (a job file lying in the home folder).
  const projectFolder = project.folder;
  const useProject =
    path.dirname(projectFolder) !== projectFolder && holdsHome(projectFolder) === undefined
      ? `use workdir: ${path.relative(jobDir, projectFolder) || '.'}`
      : undefined;
  const ownFolder =
    'move the job file and the code it runs into a folder of their own (mkdir ~/my-job) and leave workdir out';
  if (path.dirname(workdir) === workdir)
    return at(`${shown} is the whole filesystem; a job ships only its own project`, useProject ?? ownFolder);
  const home = holdsHome(workdir);
  if (home !== undefined) {
    const what = home === workdir ? 'your home folder' : `a folder that holds your home folder ${home}`;
    return at(`${shown} is ${what}: it would ship ~/.ssh, ~/.aws and everything else in it`, useProject ?? ownFolder);
  }
  if (!isInside(projectFolder, workdir)) {
    const bounds = project.byGit
      ? `the job file's project ${projectFolder} (the folder holding .git)`
      : `the job file's folder ${projectFolder} (it is in no git repository, so that is its project)`;
    return at(
      `${shown} is outside ${bounds}`,
      project.byGit
        ? `use a folder inside the project, such as ${path.relative(jobDir, projectFolder) || '.'}`
        : 'move the job file into the folder it ships (or make that folder a git repository) and point workdir there',
    );
  }
  return undefined;
}

/** Whether `inner` is `outer` or lies below it. */
function isInside(outer: string, inner: string): boolean {
  const relative = path.relative(outer, inner);
  return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}

/** The path with its links followed, or as given when it does not exist. */
function real(folder: string): string {
  try {
    return realpathSync(folder);
  } catch {
    return path.resolve(folder);
  }
}
