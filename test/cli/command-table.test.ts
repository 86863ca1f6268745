import { Help } from 'commander';
import { describe, expect, test } from 'vitest';
import { COMMANDS, commandNamed } from '../../cli/command-table.js';

describe('the command table', () => {
  // `reachlog --help` lists the table without loading the commands: it must say what they say.
  test.each(COMMANDS.map((entry) => [entry.name, entry] as const))(
    '%s: the table restates the loaded command’s name, description and usage',
    async (_name, entry) => {
      const command = await entry.load();
      expect(command.name()).toBe(entry.name);
      expect(command.description()).toBe(entry.summary);
      expect(new Help().subcommandTerm(command)).toBe(entry.usage ? `${entry.name} ${entry.usage}` : entry.name);
    },
  );

  test('finds the command a command line runs, and none for help or an unknown word', () => {
    expect(commandNamed(['analyze', '-o', 'json', 'examples/shop'])?.name).toBe('analyze');
    expect(commandNamed(['cluster', 'add', 'prod'])?.name).toBe('cluster');
    expect(commandNamed(['help', 'token'])?.name).toBe('token');
    expect(commandNamed(['--help'])).toBeUndefined();
    expect(commandNamed(['help'])).toBeUndefined();
    expect(commandNamed(['anlyze', 'x'])).toBeUndefined();
    expect(commandNamed([])).toBeUndefined();
  });
});
