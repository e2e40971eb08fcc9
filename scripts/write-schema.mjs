// The JSON Schema the package ships (dist/job.schema.json), printed by the built CLI itself so it is the schema
// `dlrun schema` prints.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

const schema = execFileSync(process.execPath, ['dist/bundle/bin.js', 'schema'], { encoding: 'utf8' });
writeFileSync('dist/job.schema.json', schema);
