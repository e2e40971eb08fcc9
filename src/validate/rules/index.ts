import type { Finding } from '../../base/finding.js';
import type { Rule, ValidationContext } from '../rule.js';
import { aliasNotExpanded } from './alias-not-expanded.js';
import { foldedScript } from './folded-script.js';
import { loginPrompt } from './login-prompt.js';
import { neverEnds } from './never-ends.js';
import { sudoLeavesVenv } from './sudo-leaves-venv.js';
import { venvNotActive } from './venv-not-active.js';
import { hiddenFailure } from './hidden-failure.js';
import { outputNotCollected } from './output-not-collected.js';
import { secretInLog } from './secret-in-log.js';
import { yesPipeFails } from './yes-pipe-fails.js';
import { foreignCloudTool } from './foreign-cloud-tool.js';
import { gpuToolWithoutGpu } from './gpu-tool-without-gpu.js';
import { unreachableService } from './unreachable-service.js';
import { arithmeticExit } from './arithmetic-exit.js';
import { maskedStatus } from './masked-status.js';
import { readWithoutInput } from './read-without-input.js';
import { sshWithoutKey } from './ssh-without-key.js';
import { assignmentSpaces } from './assignment-spaces.js';
import { tildeNotExpanded } from './tilde-not-expanded.js';
import { backendCapability } from './backend-capability.js';
import { backgroundWithoutWait } from './background-without-wait.js';
import { commandTypo } from './command-typo.js';
import { condaActivate } from './conda-activate.js';
import { cpuFrameworkBuild } from './cpu-framework-build.js';
import { credentials } from './credentials.js';
import { distributedWiring } from './distributed-wiring.js';
import { interactivePrompt } from './interactive-prompt.js';
import { lineEndings } from './line-endings.js';
import { gpuMismatch } from './gpu-mismatch.js';
import { gpuProcesses } from './gpu-processes.js';
import { gpuTooOld } from './gpu-too-old.js';
import { limitsSense } from './limits-sense.js';
import { localPath } from './local-path.js';
import { maxCostFloor } from './max-cost-floor.js';
import { missingInput } from './missing-input.js';
import { pythonArguments } from './python-arguments.js';
import { pythonEnvironment } from './python-environment.js';
import { pythonInputFile } from './python-input-file.js';
import { scriptNotExecutable } from './script-not-executable.js';
import { sensitiveFiles } from './sensitive-files.js';
import { shellSyntax } from './shell-syntax.js';
import { subcommandTypo } from './subcommand-typo.js';
import { testBrackets } from './test-brackets.js';
import { typographicCharacters } from './typographic-characters.js';
import { unknownMachineType } from './unknown-machine-type.js';
import { unsetVariable } from './unset-variable.js';
import { buildNeedsFramework } from './build-needs-framework.js';
import { cudaBuildGpu } from './cuda-build-gpu.js';
import { editableNotBuildable } from './editable-not-buildable.js';
import { frameworkPinsConflict } from './framework-pins-conflict.js';
import { localVersionIndex } from './local-version-index.js';
import { requirementLocalFile } from './requirement-local-file.js';
import { requirementSyntax } from './requirement-syntax.js';
import { imageCommand } from './image-command.js';
import { noWheelForPython } from './no-wheel-for-python.js';
import { pipExternallyManaged } from './pip-externally-managed.js';
import { shNotBash } from './sh-not-bash.js';
import { unmatchedGlob } from './unmatched-glob.js';
import { uncheckedCd } from './unchecked-cd.js';
import { prefixAssignmentScope } from './prefix-assignment-scope.js';
import { errexitIgnored } from './errexit-ignored.js';

/** The generic rules about the scripts and the settings, each a file of its own named after its id. */
const BEFORE_BACKEND_RULES: readonly Rule[] = [
  shellSyntax,
  lineEndings,
  typographicCharacters,
  commandTypo,
  subcommandTypo,
  missingInput,
  unmatchedGlob,
  scriptNotExecutable,
  pythonArguments,
  pythonEnvironment,
  pythonInputFile,
  interactivePrompt,
  loginPrompt,
  readWithoutInput,
  sshWithoutKey,
  neverEnds,
  foldedScript,
  aliasNotExpanded,
  venvNotActive,
  sudoLeavesVenv,
  yesPipeFails,
  arithmeticExit,
  assignmentSpaces,
  tildeNotExpanded,
  hiddenFailure,
  uncheckedCd,
  errexitIgnored,
  maskedStatus,
  outputNotCollected,
  secretInLog,
  unsetVariable,
  prefixAssignmentScope,
  localPath,
  credentials,
  condaActivate,
  backgroundWithoutWait,
  testBrackets,
  backendCapability,
  unknownMachineType,
  gpuMismatch,
  gpuTooOld,
  requirementSyntax,
  requirementLocalFile,
  localVersionIndex,
  editableNotBuildable,
  frameworkPinsConflict,
  buildNeedsFramework,
  cudaBuildGpu,
  imageCommand,
  shNotBash,
  pipExternallyManaged,
  noWheelForPython,
  distributedWiring,
  gpuProcesses,
  cpuFrameworkBuild,
  gpuToolWithoutGpu,
  foreignCloudTool,
  unreachableService,
];

/** The generic rules about the limits and the workdir. */
const AFTER_BACKEND_RULES: readonly Rule[] = [limitsSense, maxCostFloor, sensitiveFiles];

/**
 * Every rule for a job, in the order they run: the generic ones, with each target backend's own rules (its
 * validation module's `rules`, in the targets' order) after those about machines. Findings at one place of a file
 * come out in this order, so it stays fixed. Every rule is documented in docs/rules.md.
 */
export function rulesFor(context: Pick<ValidationContext, 'targets' | 'backends'>): readonly Rule[] {
  const own = context.targets.flatMap((target) => context.backends[target]?.rules ?? []);
  return [...BEFORE_BACKEND_RULES, ...own, ...AFTER_BACKEND_RULES];
}

/** The findings of every rule for a job. */
export function runRules(context: ValidationContext): Finding[] {
  return rulesFor(context).flatMap((rule) => rule.check(context));
}
