import { ruleTable } from '../rule-table.js';

const job = (script: string): string =>
  `name: syntax\nrun: |\n${script
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n')}\n`;

ruleTable('shell-syntax', [
  {
    name: 'a correct script with every construct',
    job: job(
      [
        'set -euo pipefail',
        'if [ -d x ]; then echo a; elif true; then :; else echo b; fi',
        'for i in 1 2; do echo "$i"; done',
        'while false; do :; done',
        'case "$1" in a|b) echo ab;; *) echo other;; esac',
        'f() { echo "$(date)"; }',
        'cat <<EOF > x.txt',
        'hello $HOME',
        'EOF',
        'arr=(a "b c")',
        'echo "${arr[@]}" `hostname` $((1 + 2))',
      ].join('\n'),
    ),
    expect: [],
  },
  {
    name: 'an if without fi, at the if',
    job: job('echo start\nif [ -f x ]; then\n  echo a\necho b'),
    expect: ['error job.yaml:4:3'],
    says: /'if' is never closed with 'fi'/,
  },
  { name: 'an if without then', job: job('if true\n  echo a\nfi'), expect: ['error job.yaml:3:3'], says: /no 'then'/ },
  {
    name: 'a for without done, at the for',
    job: job('for i in 1 2; do\n  echo $i'),
    expect: ['error job.yaml:3:3'],
    says: /'for' loop is never closed/,
  },
  {
    name: 'a while without do',
    job: job('while true\n  echo a\ndone'),
    expect: ['error job.yaml:3:3'],
    says: /no 'do'/,
  },
  {
    name: 'a case without esac',
    job: job('case x in\n  a) echo a;;'),
    expect: ['error job.yaml:3:3'],
    says: /never closed with 'esac'/,
  },
  {
    name: 'an unclosed double quote, at the quote',
    job: job('echo "hello\necho b'),
    expect: ['error job.yaml:3:8'],
    says: /double quote is never closed/,
  },
  {
    name: 'an unclosed single quote, at the quote',
    job: job("echo 'it\necho b"),
    expect: ['error job.yaml:3:8'],
    says: /single quote/,
  },
  {
    name: 'an unclosed $(, at the $(',
    job: job('x=$(date\necho "$x"'),
    expect: ['error job.yaml:3:5'],
    says: /\$\( is never closed/,
  },
  {
    name: 'an unclosed ${, at the ${',
    job: job('echo ${HOME\necho b'),
    expect: ['error job.yaml:3:8'],
    says: /\$\{ is never closed/,
  },
  { name: 'an unclosed backquote', job: job('echo `date\necho b'), expect: ['error job.yaml:3:8'], says: /backquote/ },
  {
    name: 'a heredoc that never ends (bash -n lets it pass), at the <<',
    job: job('cat <<EOF\nline\n  EOF\necho after'),
    expect: ['error job.yaml:3:7'],
    says: /heredoc is never closed: no line reads 'EOF'/,
  },
  { name: 'a stray fi', job: job('echo a\nfi'), expect: ['error job.yaml:4:3'], says: /'fi' with no 'if' open/ },
  { name: 'a stray done', job: job('echo a\ndone'), expect: ['error job.yaml:4:3'] },
  { name: 'an unclosed brace group', job: job('{ echo a\necho b'), expect: ['error job.yaml:3:3'] },
  { name: 'an unclosed subshell', job: job('( cd x && make\necho b'), expect: ['error job.yaml:3:3'] },
  {
    name: 'a one-line run with an unclosed quote, at its column in job.yaml',
    job: 'name: one-line\nrun: echo "oops\n',
    expect: ['error job.yaml:2:11'],
  },
  {
    name: 'an error in a script file the job runs is reported in that file',
    job: 'name: follow\nrun: bash scripts/train.sh\n',
    files: { 'scripts/train.sh': '#!/bin/bash\necho start\nfor f in *; do\n  echo "$f"\n' },
    expect: ['error scripts/train.sh:3:1'],
  },
]);
