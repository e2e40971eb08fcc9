import { jobJsonSchema } from '../../spec/json-schema.js';
import type { CommandInput } from '../command.js';

/** `dlrun schema`: the JSON Schema of job.yaml on stdout, for editors (yaml-language-server and the like). */
export async function run({ io }: CommandInput): Promise<number> {
  io.out(JSON.stringify(jobJsonSchema(), null, 2));
  return 0;
}
