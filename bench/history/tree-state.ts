import { execFileSync } from 'node:child_process';

/** The commit measured and the uncommitted files under engine/, worker/ and prisma/ (they change what is measured). */
export function treeState(): string {
  const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8' });
  try {
    const head = git('rev-parse', '--short', 'HEAD').trim();
    const dirty = git('status', '--porcelain', '--', 'engine', 'worker', 'prisma')
      .split('\n')
      .filter(Boolean)
      .map((l) => l.slice(3));
    return dirty.length ? `${head} with uncommitted changes to ${dirty.join(', ')}` : `${head}, clean`;
  } catch {
    return 'unknown (not a git checkout)';
  }
}
