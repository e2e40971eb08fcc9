// List every line longer than 120 characters (biome.json's lineWidth) in the code git tracks, and in new files not
// yet added (not ignored ones): `*.ts`, `*.mjs`, `*.js`, `*.json` and `*.jsonc`, except under a `fixtures` folder
// (test inputs kept as they are) and package-lock.json (written by npm). Biome formats code to that width but
// cannot break a long string, template literal or comment; this finds those. Prints `file:line: N characters` for
// each and exits 1 if there is any. Characters are Unicode code points (an em dash is one). Exempt: a comment line
// holding nothing but a URL, which cannot be broken without breaking the link.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const MAX_WIDTH = 120;
const EXTENSIONS = ['ts', 'mjs', 'js', 'json', 'jsonc'];
const URL_ALONE = /^\s*(\/\/+|\/\*+|\*)\s*<?https?:\/\/\S+?>?\s*(\*\/)?\s*$/;

const root = fileURLToPath(new URL('..', import.meta.url));
const files = execFileSync(
  'git',
  [
    'ls-files',
    '-z',
    '--cached',
    '--others',
    '--exclude-standard',
    '--',
    ...EXTENSIONS.map((extension) => `*.${extension}`),
  ],
  {
    cwd: root,
    encoding: 'utf8',
  },
)
  .split('\0')
  .filter((file) => file !== '')
  .filter((file) => !file.split('/').includes('fixtures') && path.basename(file) !== 'package-lock.json');

let found = 0;
for (const file of files) {
  const full = path.join(root, file);
  if (!existsSync(full)) continue; // Deleted in the working tree, not yet in the index.
  readFileSync(full, 'utf8')
    .split('\n')
    .forEach((text, index) => {
      const line = text.endsWith('\r') ? text.slice(0, -1) : text;
      const width = [...line].length;
      if (width <= MAX_WIDTH || URL_ALONE.test(line)) return;
      console.log(`${file}:${index + 1}: ${width} characters`);
      found += 1;
    });
}
if (found > 0) console.error(`${found} lines longer than ${MAX_WIDTH} characters`);
process.exit(found > 0 ? 1 : 0);
