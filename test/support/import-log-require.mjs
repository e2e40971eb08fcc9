import { appendFileSync } from 'node:fs';
import Module from 'node:module';
import { pathToFileURL } from 'node:url';

/**
 * The loader hooks see `import` only; dlrun loads the AWS SDK with `require` (adapters/ec2/ec2-sdk.ts). This logs
 * every file `require` loads, as a URL, to the same DLRUN_TEST_IMPORT_LOG, so a test sees both ways of loading.
 * Plain JavaScript: a program under test loads it with `--import`, outside vitest.
 */
const log = process.env.DLRUN_TEST_IMPORT_LOG;
if (log) {
  const load = Module._load;
  Module._load = function logged(request, parent, isMain) {
    try {
      const file = Module._resolveFilename(request, parent, isMain);
      appendFileSync(log, `${file.startsWith('/') ? pathToFileURL(file).href : file}\n`);
    } catch {
      // Not resolvable: the real load below says so.
    }
    return load.call(this, request, parent, isMain);
  };
}
