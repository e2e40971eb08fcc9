import { COMMANDS, type CommandSpec } from './command-table.js';

export function generalHelp(): string {
  const width = Math.max(...COMMANDS.map((command) => usageLine(command).length));
  return [
    'dlrun: run deep-learning training jobs on this machine or in the cloud, and know what they cost',
    '',
    'Usage: dlrun <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((command) => `  ${usageLine(command).padEnd(width)}  ${command.summary}`),
    '',
    'Options:',
    '  -h, --help     help for dlrun or a command (dlrun status --help)',
    '  --version      print the version',
    '',
    'Environment: DLRUN_HOME (ledger and job folders, default ~/.dlrun), NO_COLOR; .env in this folder gives harmless',
    'settings and job secrets, and the rest (credentials, endpoints) once you run dlrun allow here.',
    'Exit codes: 0 success, 1 a failure you can fix, 2 wrong usage, 70 a bug in dlrun, 130 Ctrl-C.',
  ].join('\n');
}

export function commandHelp(command: CommandSpec): string {
  const flags = Object.entries(command.flags).map(([name, flag]) => {
    const left = `${flag.short ? `-${flag.short}, ` : ''}--${name}${flag.value ? ` ${flag.value}` : ''}`;
    return [left, flag.help] as const;
  });
  flags.push(['-h, --help', 'show this help']);
  const width = Math.max(...flags.map(([left]) => left.length));
  return [
    `Usage: dlrun ${usageLine(command)}${Object.keys(command.flags).length ? ' [options]' : ''}`,
    '',
    `${command.summary[0]!.toUpperCase()}${command.summary.slice(1)}.`,
    '',
    'Options:',
    ...flags.map(([left, help]) => `  ${left.padEnd(width)}  ${help}`),
  ].join('\n');
}

function usageLine(command: CommandSpec): string {
  return [command.name, ...command.args].join(' ');
}
