/**
 * Running the built `deriva` binary in end-to-end tests. ensureBuilt() runs the workspace's
 * `npm run build` (the library, the command line, then the playground) when a dist/ is missing or older than its
 * package's src/ (once, even with several test files asking at the same time);
 * DERIVA_E2E_PREBUILT=1 uses the dist/ folders as they are.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "../../../..");
export const CLI = join(ROOT, "packages/cli/dist/main.js");
/** Each package's sources and the built file that must be newer than all of them. */
const BUILDS = [
  { src: join(ROOT, "packages/deriva/src"), built: join(ROOT, "packages/deriva/dist/index.js") },
  { src: join(ROOT, "packages/cli/src"), built: CLI },
  { src: join(ROOT, "packages/playground/src"), built: join(ROOT, "packages/playground/dist/index.html") },
];
const LOCK = join(ROOT, "node_modules/.cache/deriva-e2e-build.lock");

function newestIn(folder: string): number {
  let newest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestIn(path) : statSync(path).mtimeMs);
  }
  return newest;
}

const stale = () =>
  BUILDS.some(({ src, built }) => !existsSync(built) || statSync(built).mtimeMs < newestIn(src));

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export function ensureBuilt(): void {
  if (process.env.DERIVA_E2E_PREBUILT) {
    if (!existsSync(CLI)) throw new Error(`DERIVA_E2E_PREBUILT is set but ${CLI} does not exist`);
    return;
  }
  if (!stale()) return;
  mkdirSync(join(ROOT, "node_modules/.cache"), { recursive: true });
  for (let waited = 0; ; waited += 200) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      if (waited > 300_000) rmSync(LOCK, { recursive: true, force: true }); // a build that died
      sleep(200);
    }
  }
  try {
    if (!stale()) return; // another test file built it while we waited
    const build = spawnSync("npm", ["run", "build"], { cwd: ROOT, encoding: "utf8" });
    if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}\n${build.stderr}`);
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `deriva ...args` with node (with `extraEnv` added to the environment) and returns its exit code and output. */
export function deriva(args: readonly string[], cwd = ROOT, extraEnv: Record<string, string> = {}): CliRun {
  const env = { ...process.env };
  delete env.DERIVA_DEBUG;
  delete env.DERIVA_MAX_MEMORY;
  Object.assign(env, extraEnv);
  const run = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: "utf8", env });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}
