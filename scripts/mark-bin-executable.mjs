// tsc writes files with mode 0644. npm sets the executable bit on the bins of packages it installs, but not on the
// project's own bin, so `npx dlrun` in a fresh clone would fail with "Permission denied" without this step.
import { chmodSync, readFileSync } from 'node:fs';

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
for (const binPath of Object.values(manifest.bin)) {
  chmodSync(new URL(`../${binPath}`, import.meta.url), 0o755);
}
