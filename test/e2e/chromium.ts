import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import chromium from '@sparticuz/chromium';

/** The system's Chromium, where a distribution installed one (`apt-get install chromium`). */
const SYSTEM_CHROMIUM = '/usr/bin/chromium';

export interface BrowserBinary {
  executablePath: string;
  /** Extra environment for the browser process (shared libraries it needs, when the system lacks them). */
  env?: Record<string, string>;
  source: 'CHROMIUM_PATH' | 'system' | 'npm';
}

/** Shared libraries the executable needs that the system does not have (`ldd` says "not found"). */
function missingLibraries(executable: string): string[] {
  const ldd = spawnSync('ldd', [executable], { encoding: 'utf8' });
  if (ldd.status !== 0) return [];
  return ldd.stdout.split('\n').filter((line) => line.includes('not found')).map((line) => line.trim().split(' ')[0]!);
}

/**
 * The NSS libraries Chromium links against ship inside @sparticuz/chromium too (for Amazon Linux);
 * unpacked only on a system that has none of its own. Brotli is in Node; tar is on every Linux.
 */
async function bundledLibraries(): Promise<string> {
  const dir = path.join(os.tmpdir(), 'crm-chromium-libs');
  if (fs.existsSync(path.join(dir, 'lib', 'libnss3.so'))) return path.join(dir, 'lib');
  fs.mkdirSync(dir, { recursive: true });
  const archive = path.join(path.dirname(require.resolve('@sparticuz/chromium')), '..', '..', 'bin', 'al2023.tar.br');
  const tar = spawn('tar', ['-x', '-C', dir], { stdio: ['pipe', 'ignore', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => tar.once('exit', resolve));
  await pipeline(fs.createReadStream(archive), zlib.createBrotliDecompress(), tar.stdin);
  if ((await exited) !== 0) throw new Error(`could not unpack ${archive}`);
  return path.join(dir, 'lib');
}

/**
 * Which Chromium the browser test drives: CHROMIUM_PATH if set, else the system's, else the one
 * inside the @sparticuz/chromium npm package (unpacked from the package to the temp directory on
 * first use; nothing is downloaded), so `npm ci && npm test` needs no system package.
 */
export async function browserBinary(): Promise<BrowserBinary> {
  if (process.env.CHROMIUM_PATH) return { executablePath: process.env.CHROMIUM_PATH, source: 'CHROMIUM_PATH' };
  if (fs.existsSync(SYSTEM_CHROMIUM)) return { executablePath: SYSTEM_CHROMIUM, source: 'system' };
  // The package ships a Linux x64 build only.
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`The browser test needs Chromium: set CHROMIUM_PATH (the npm-packaged one is for Linux x64, this is ${process.platform} ${process.arch})`);
  }
  const executablePath = await chromium.executablePath();
  if (missingLibraries(executablePath).length === 0) return { executablePath, source: 'npm' };
  return { executablePath, env: { LD_LIBRARY_PATH: await bundledLibraries() }, source: 'npm' };
}
