import os from 'node:os';
import path from 'node:path';
import type { BackendContext } from '../../src/backend/training-backend.js';
import { readRegularFile } from '../../src/util/read-regular-file.js';

/** Larger than any real AWS config file; a larger one is not read for endpoints. */
const MAX_CONFIG_BYTES = 1024 * 1024;

/** The AWS shared config file the SDK reads for this context: AWS_CONFIG_FILE, else ~/.aws/config. */
export function awsConfigFile(env: BackendContext['env']): string {
  const home = env.HOME ?? os.homedir();
  const file = env.AWS_CONFIG_FILE;
  if (!file) return path.join(home, '.aws', 'config');
  return file.startsWith('~/') ? path.join(home, file.slice(2)) : file;
}

/** A profile's settings and the `[services ...]` sections, keyed as the SDK keys them (`ec2.endpoint_url`). */
interface AwsConfigSections {
  readonly profiles: ReadonlyMap<string, ReadonlyMap<string, string>>;
  readonly services: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

/**
 * The sections of an AWS config file that decide endpoints, parsed as the SDK parses them (@smithy's parseIni):
 * `[default]`, `[profile NAME]` and `[NAME]`, `[services NAME]`, `;`/`#` comments, and nested settings (`ec2 =`
 * followed by indented `endpoint_url = ...`). Undefined when the file is absent or not a readable regular file.
 */
export function readAwsConfigSections(file: string): AwsConfigSections | undefined {
  const read = readRegularFile(file, { maxBytes: MAX_CONFIG_BYTES });
  if (!read.ok) return undefined;
  const profiles = new Map<string, Map<string, string>>();
  const services = new Map<string, Map<string, string>>();
  let section: Map<string, string> | undefined;
  let nested: string | undefined;
  for (const line of read.bytes.toString('utf8').split(/\r?\n/)) {
    const text = line.split(/(^|\s)[;#]/)[0]!.trim();
    if (text.startsWith('[') && text.endsWith(']')) {
      nested = undefined;
      const name = text.slice(1, -1).trim();
      // `[profile dev]`, `[services local]`; other prefixes (`[sso-session x]`) are not profiles; a bare `[dev]`
      // is a profile to the SDK, as `[default]` is.
      const prefixed = /^([\w-]+)\s(["'])?([\w\-@+.%:/]+)\2$/.exec(name);
      const table = !prefixed
        ? profiles
        : prefixed[1] === 'profile'
          ? profiles
          : prefixed[1] === 'services'
            ? services
            : undefined;
      const key = prefixed ? prefixed[3]! : name;
      section = table ? (table.get(key) ?? new Map<string, string>()) : undefined;
      if (table && section) table.set(key, section);
      continue;
    }
    const equals = text.indexOf('=');
    if (!section || equals <= 0) continue;
    const name = text.slice(0, equals).trim();
    const value = text.slice(equals + 1).trim();
    if (value === '') {
      nested = name;
      continue;
    }
    if (nested !== undefined && line.trimStart() === line) nested = undefined;
    section.set(nested !== undefined ? `${nested}.${name}` : name, value);
  }
  return { profiles, services };
}
