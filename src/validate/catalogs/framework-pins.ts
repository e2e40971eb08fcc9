/**
 * Framework packages that are released in lockstep, so that a pin of one fixes the release line of the other: pip
 * refuses (ResolutionImpossible) to install the two pins together. Each row: the line of the framework, the line
 * of the companion it requires. Read on 2026-12-06; `unconfirmed` where a row was recalled, not read from its source.
 */
export interface CompanionLine {
  /** The framework's release line, major.minor (`2.3`). */
  readonly framework: string;
  /** The companion's release line it requires (`0.18`), or `>=3` for "any 3.x and later". */
  readonly companion: string;
}

export interface CompanionTable {
  readonly framework: string;
  readonly companion: string;
  readonly lines: readonly CompanionLine[];
  readonly source: string;
  readonly as_of: string;
  readonly unconfirmed?: true;
}

const lines = (pairs: readonly (readonly [string, string])[]): CompanionLine[] =>
  pairs.map(([framework, companion]) => ({ framework, companion }));

const TORCH_LINES: readonly (readonly [string, string])[] = [
  ['1.8', '0.9'],
  ['1.9', '0.10'],
  ['1.10', '0.11'],
  ['1.11', '0.12'],
  ['1.12', '0.13'],
  ['1.13', '0.14'],
  ['2.0', '0.15'],
  ['2.1', '0.16'],
  ['2.2', '0.17'],
  ['2.3', '0.18'],
  ['2.4', '0.19'],
  ['2.5', '0.20'],
  ['2.6', '0.21'],
  ['2.7', '0.22'],
  ['2.8', '0.23'],
  ['2.9', '0.24'],
];

export const COMPANION_TABLES: readonly CompanionTable[] = [
  {
    framework: 'torch',
    companion: 'torchvision',
    lines: lines(TORCH_LINES),
    source: 'https://github.com/pytorch/vision#installation (the torch/torchvision version table)',
    as_of: '2026-12-06',
  },
  {
    framework: 'torch',
    companion: 'torchaudio',
    // torchaudio followed torch's own number from 2.0 on; before, 0.(minor).
    lines: lines(TORCH_LINES.map(([torch]) => [torch, torch.startsWith('1.') ? `0.${torch.split('.')[1]}` : torch])),
    source: 'https://pytorch.org/audio/stable/installation.html (compatibility matrix)',
    as_of: '2026-12-06',
  },
  {
    framework: 'tensorflow',
    companion: 'keras',
    // TensorFlow 2.6 to 2.15 require keras of their own minor; 2.16 on require Keras 3.
    lines: [
      ...['6', '7', '8', '9', '10', '11', '12', '13', '14', '15'].map((minor) => ({
        framework: `2.${minor}`,
        companion: `2.${minor}`,
      })),
      ...['16', '17', '18', '19', '20'].map((minor) => ({ framework: `2.${minor}`, companion: '>=3' })),
    ],
    source:
      'https://github.com/tensorflow/tensorflow/blob/master/tensorflow/tools/pip_package/setup.py (REQUIRED_PACKAGES)',
    as_of: '2026-12-06',
    unconfirmed: true,
  },
  {
    framework: 'tensorflow',
    companion: 'tensorflow-text',
    lines: ['8', '9', '10', '11', '12', '13', '14', '15', '16', '17', '18'].map((minor) => ({
      framework: `2.${minor}`,
      companion: `2.${minor}`,
    })),
    source: 'https://github.com/tensorflow/text#compatibility',
    as_of: '2026-12-06',
    unconfirmed: true,
  },
];

/** The companion line a framework line requires, or undefined when the table does not cover that line. */
export function companionLine(table: CompanionTable, frameworkLine: string): string | undefined {
  return table.lines.find((line) => line.framework === frameworkLine)?.companion;
}
