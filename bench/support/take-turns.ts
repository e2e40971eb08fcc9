/**
 * Runs each command once per round, `warmups` rounds first whose samples are dropped, then `runs` rounds: a busy
 * spell of the machine weighs on every command alike. The samples by command label, in order.
 */
export async function takeTurns<Command extends { readonly label: string }, Sample>(
  commands: readonly Command[],
  rounds: { readonly warmups: number; readonly runs: number },
  run: (command: Command) => Promise<Sample>,
): Promise<Map<string, Sample[]>> {
  const samples = new Map<string, Sample[]>(commands.map((command) => [command.label, []]));
  for (let round = 0; round < rounds.warmups + rounds.runs; round++) {
    for (const command of commands) {
      const sample = await run(command);
      if (round >= rounds.warmups) samples.get(command.label)!.push(sample);
    }
  }
  return samples;
}
