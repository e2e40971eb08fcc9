/**
 * Which CPython versions each release line of a framework publishes Linux wheels for. torch and tensorflow have no
 * source distribution on PyPI, so a pin with no wheel for the machine's Python fails with "No matching
 * distribution found"; numpy has one, so pip builds it instead (a compiler, and old releases fail on new
 * Pythons). Read on 2026-12-06; a row marked `unconfirmed` was recalled, not read from its source.
 */
export interface WheelPythons {
  readonly project: string;
  /** The release line, major.minor. */
  readonly line: string;
  readonly oldest: string;
  readonly newest: string;
  /** A newer Python that may also have wheels (a source says no, a release may say yes): never reported. */
  readonly unjudged?: string;
  readonly source: string;
  readonly unconfirmed?: true;
  /** The project has a source distribution: with no wheel, pip builds it (a compiler, often a failure). */
  readonly sdist?: true;
  readonly note?: string;
}

const PYTORCH_MATRIX = 'https://github.com/pytorch/pytorch/blob/main/RELEASE.md#release-compatibility-matrix';
const TENSORFLOW_TESTED = 'https://www.tensorflow.org/install/source#gpu';

const torch = (line: string, oldest: string, newest: string, note?: string, unjudged?: string): WheelPythons => ({
  project: 'torch',
  line,
  oldest,
  newest,
  source: PYTORCH_MATRIX,
  ...(note ? { note } : {}),
  ...(unjudged ? { unjudged } : {}),
});
const tensorflow = (line: string, oldest: string, newest: string): WheelPythons => ({
  project: 'tensorflow',
  line,
  oldest,
  newest,
  source: TENSORFLOW_TESTED,
  unconfirmed: true,
});

const NUMPY_NOTES = 'https://numpy.org/doc/stable/release.html';
const numpy = (line: string, oldest: string, newest: string): WheelPythons => ({
  project: 'numpy',
  line,
  oldest,
  newest,
  source: NUMPY_NOTES,
  unconfirmed: true,
  sdist: true,
});

export const WHEEL_PYTHONS: readonly WheelPythons[] = [
  torch('1.12', '3.7', '3.10'),
  // The matrix says 3.10; 3.11 wheels may have followed in 1.13.1, so 3.11 is not reported.
  torch('1.13', '3.7', '3.10', 'matrix: <=3.10; 3.11 left unjudged', '3.11'),
  torch('2.0', '3.8', '3.11'),
  torch('2.1', '3.8', '3.11'),
  torch('2.2', '3.8', '3.12', 'matrix: 3.12 experimental (wheels published)'),
  torch('2.3', '3.8', '3.12', 'matrix: 3.12 experimental (wheels published)'),
  torch('2.4', '3.8', '3.12'),
  torch('2.5', '3.9', '3.13', 'matrix: 3.13 experimental'),
  torch('2.6', '3.9', '3.13'),
  torch('2.7', '3.9', '3.13'),
  torch('2.8', '3.9', '3.13'),
  torch('2.9', '3.10', '3.14'),
  tensorflow('2.12', '3.8', '3.11'),
  tensorflow('2.13', '3.8', '3.11'),
  tensorflow('2.14', '3.9', '3.11'),
  tensorflow('2.15', '3.9', '3.11'),
  tensorflow('2.16', '3.9', '3.12'),
  tensorflow('2.17', '3.9', '3.12'),
  tensorflow('2.18', '3.9', '3.12'),
  tensorflow('2.19', '3.9', '3.12'),
  tensorflow('2.20', '3.9', '3.13'),
  numpy('1.21', '3.7', '3.10'),
  numpy('1.22', '3.8', '3.10'),
  numpy('1.23', '3.8', '3.11'),
  numpy('1.24', '3.8', '3.11'),
  numpy('1.25', '3.9', '3.11'),
  numpy('1.26', '3.9', '3.12'),
  numpy('2.0', '3.9', '3.12'),
  numpy('2.1', '3.10', '3.13'),
  numpy('2.2', '3.10', '3.13'),
];

/** Names that install the same wheels as a row's project. */
const ALIASES: Readonly<Record<string, string>> = { 'tensorflow-cpu': 'tensorflow', 'tensorflow-gpu': 'tensorflow' };

export function wheelPythons(project: string, line: string): WheelPythons | undefined {
  const name = ALIASES[project] ?? project;
  return WHEEL_PYTHONS.find((row) => row.project === name && row.line === line);
}
