import { UsageError } from '../base/errors.js';
import { BACKEND_NAMES, isBackendName, type BackendName } from '../spec/backend-names.js';
import { didYouMean } from '../util/did-you-mean.js';
import { stringFlag, type CommandInput } from './command.js';

/** The `--backend` flag, checked: an unknown name is wrong usage (exit 2), with a did-you-mean. */
export function backendFlag(input: CommandInput): BackendName | undefined {
  const value = stringFlag(input, 'backend');
  if (value === undefined) return undefined;
  if (isBackendName(value)) return value;
  const close = didYouMean(value, BACKEND_NAMES);
  throw new UsageError(
    `unknown backend '${value}'${close ? `; did you mean '${close}'?` : ''} (backends: ${BACKEND_NAMES.join(', ')})`,
  );
}
