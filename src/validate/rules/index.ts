import type { Rule } from '../rule.js';
import { backendCapability } from './backend-capability.js';
import { backgroundWithoutWait } from './background-without-wait.js';
import { commandTypo } from './command-typo.js';
import { condaActivate } from './conda-activate.js';
import { credentials } from './credentials.js';
import { interactivePrompt } from './interactive-prompt.js';
import { lineEndings } from './line-endings.js';
import { ec2Region } from './ec2-region.js';
import { gpuMismatch } from './gpu-mismatch.js';
import { gpuTooOld } from './gpu-too-old.js';
import { limitsSense } from './limits-sense.js';
import { localGpu } from './local-gpu.js';
import { localPath } from './local-path.js';
import { missingInput } from './missing-input.js';
import { scriptNotExecutable } from './script-not-executable.js';
import { sensitiveFiles } from './sensitive-files.js';
import { shellSyntax } from './shell-syntax.js';
import { subcommandTypo } from './subcommand-typo.js';
import { testBrackets } from './test-brackets.js';
import { typographicCharacters } from './typographic-characters.js';
import { unknownMachineType } from './unknown-machine-type.js';
import { unsetVariable } from './unset-variable.js';

/** Every rule of the validator, each a file of its own named after its id, documented in docs/rules.md. */
export const RULES: readonly Rule[] = [
  shellSyntax,
  lineEndings,
  typographicCharacters,
  commandTypo,
  subcommandTypo,
  missingInput,
  scriptNotExecutable,
  interactivePrompt,
  unsetVariable,
  localPath,
  credentials,
  condaActivate,
  backgroundWithoutWait,
  testBrackets,
  backendCapability,
  unknownMachineType,
  ec2Region,
  gpuMismatch,
  gpuTooOld,
  localGpu,
  limitsSense,
  sensitiveFiles,
];
