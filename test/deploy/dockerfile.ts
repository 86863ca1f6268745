/** Just enough of the Dockerfile grammar to check what deploy/Dockerfile does, stage by stage. */

export interface Instruction {
  keyword: string;
  /** The arguments as written, continuation lines joined. */
  args: string;
  line: number;
}

export interface Stage {
  /** `FROM image AS name`: the name, or the stage's index. */
  name: string;
  base: string;
  instructions: Instruction[];
}

export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let current = lines[i]!;
    if (/^\s*(#|$)/.test(current)) continue;
    while (/\\\s*$/.test(current) && i + 1 < lines.length) {
      i++;
      const next = lines[i]!;
      if (/^\s*#/.test(next)) continue; // comments inside a continued instruction are dropped
      current = current.replace(/\\\s*$/, ' ') + next.trim();
    }
    const m = /^\s*([A-Za-z]+)\s+(.*)$/.exec(current);
    if (!m) throw new Error(`Dockerfile line ${start + 1}: cannot read ${JSON.stringify(current)}`);
    const instruction = { keyword: m[1]!.toUpperCase(), args: m[2]!.trim(), line: start + 1 };
    if (instruction.keyword === 'FROM') {
      const from = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?$/i.exec(instruction.args);
      if (!from) throw new Error(`Dockerfile line ${start + 1}: cannot read FROM ${instruction.args}`);
      stages.push({ name: from[2] ?? String(stages.length), base: from[1]!, instructions: [] });
    } else if (stages.length > 0) {
      stages[stages.length - 1]!.instructions.push(instruction);
    } else if (instruction.keyword !== 'ARG') {
      throw new Error(`Dockerfile line ${start + 1}: ${instruction.keyword} before the first FROM`);
    }
  }
  return stages;
}

/** `["a", "b"]` (exec form) as a list; shell form is returned as one string. */
export function execForm(args: string): string[] | string {
  return args.startsWith('[') ? (JSON.parse(args) as string[]) : args;
}

export interface Copy {
  from: string | undefined;
  sources: string[];
  dest: string;
}

export function copyOf(args: string): Copy {
  const words = args.split(/\s+/);
  let from: string | undefined;
  while (words[0]?.startsWith('--')) {
    const flag = words.shift()!;
    if (flag.startsWith('--from=')) from = flag.slice('--from='.length);
  }
  const dest = words.pop()!;
  return { from, sources: words, dest };
}

/**
 * Whether .dockerignore leaves `path` out of the build context. Handles the patterns such files
 * use here: exact paths, folders (everything below), `*` within one name.
 */
export function ignoredBy(patterns: readonly string[], path: string): boolean {
  let ignored = false;
  for (const raw of patterns) {
    const negated = raw.startsWith('!');
    const pattern = (negated ? raw.slice(1) : raw).replace(/^\/+|\/+$/g, '');
    const re = new RegExp(
      `^${pattern
        .split('*')
        .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]*')}(/.*)?$`,
    );
    if (re.test(path)) ignored = !negated;
  }
  return ignored;
}

export function dockerignorePatterns(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}
