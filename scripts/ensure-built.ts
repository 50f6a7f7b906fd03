/** Rebuilds `dist/` when any source is newer than the last build, so the CLI never measures stale code. */
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newestMtimeMs(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtimeMs(join(path, entry)));
  return newest;
}

export async function ensureBuilt(): Promise<void> {
  const built = 'dist/index.html';
  const sources = ['src', 'index.html', 'race.html', 'vite.config.ts', 'package-lock.json', 'public'].filter(
    existsSync,
  );
  const newestSource = Math.max(...sources.map(newestMtimeMs));
  if (existsSync(built) && statSync(built).mtimeMs >= newestSource) return;
  console.log('bench: building the app (npm run build)…');
  execSync('npm run build', { stdio: 'inherit' });
}
