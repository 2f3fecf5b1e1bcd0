// The project's git commit and dirty flag (for run records and usesGitCommit stages). Never throws:
// a project outside git simply has no commit.
import { execFile } from "node:child_process";

export interface GitInfo { commit?: string; dirty?: boolean }

export async function gitInfo(projectDir: string): Promise<GitInfo> {
  const git = (args: string[]) => new Promise<string | undefined>((resolve) =>
    execFile("git", args, { cwd: projectDir }, (err, stdout) => resolve(err ? undefined : stdout.trim())));
  // cofail.lock is rewritten by every run that changes anything: counting it would make the tree "dirty"
  // after each run and rerun the commit-stamped stages (the paper) on the next one.
  const [commit, status] = await Promise.all([
    git(["rev-parse", "HEAD"]),
    git(["status", "--porcelain", "--untracked-files=no", "--", ".", ":(exclude)cofail.lock"]),
  ]);
  return commit ? { commit, dirty: status === undefined ? undefined : status.length > 0 } : {};
}

export function commitLabel(info: GitInfo): string | undefined {
  return info.commit ? info.commit + (info.dirty ? "-dirty" : "") : undefined;
}
