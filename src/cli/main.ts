/** The `loupe` command. */
import { Command } from 'commander';

export async function main(argv: string[]): Promise<number> {
  const program = new Command('loupe').description('Threat hunting and incident response over evidence files');
  await program.parseAsync(argv);
  return 0;
}
