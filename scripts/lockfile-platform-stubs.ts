// `npm run lockfile:stubs [-- --check]`: adds lockfile entries for platform-specific optional packages
// that the registry this machine uses does not serve.
//
// Why: packages that ship native binaries (here @biomejs/biome) list one optional dependency per
// platform (`@biomejs/cli-darwin-arm64`, ...). A registry mirror that lacks some of them makes
// `npm install` drop those entries from package-lock.json, and `npm ci` then refuses the lockfile on
// every machine ("Missing: @biomejs/cli-darwin-arm64@ from lock file"). A lockfile written against the
// full registry has one entry per platform with `optional`, `os`, `cpu` (and `libc`); npm never fetches
// an entry whose platform does not match. This script writes those entries, inferring the platform from
// the package name, without `integrity` (not known here; npm computes it if it ever fetches one).
//
// Run it after any `npm install` that changes such a package; `--check` only reports (exit 1 if
// entries are missing).

import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface LockEntry {
  version?: string;
  dev?: boolean;
  optional?: boolean;
  os?: string[];
  cpu?: string[];
  libc?: string[];
  optionalDependencies?: Record<string, string>;
  [key: string]: unknown;
}

interface Lockfile {
  packages: Record<string, LockEntry>;
  [key: string]: unknown;
}

const PLATFORM_NAME =
  /-(android|darwin|freebsd|linux|openbsd|netbsd|sunos|aix|win32)-(arm64|x64|ia32|arm|ppc64|s390x|riscv64|loong64)(?:-(musl|gnu|msvc))?$/;

export interface Stub {
  key: string;
  entry: LockEntry;
}

/** Stub entries for missing platform-specific optional dependencies, and names it cannot infer. */
export function findMissingPlatformPackages(lock: Lockfile): { stubs: Stub[]; unknown: string[] } {
  const stubs: Stub[] = [];
  const unknown: string[] = [];
  for (const [parentKey, parent] of Object.entries(lock.packages)) {
    for (const [name, spec] of Object.entries(parent.optionalDependencies ?? {})) {
      // Node's resolution: nested node_modules of the parent first, then hoisted ones up to the root.
      const nested = `${parentKey === '' ? '' : `${parentKey}/`}node_modules/${name}`;
      if (lock.packages[nested] !== undefined || lock.packages[`node_modules/${name}`] !== undefined)
        continue;
      const platform = PLATFORM_NAME.exec(name);
      if (platform === null || !/^\d+\.\d+\.\d+(?:[-+][\w.-]+)?$/.test(spec)) {
        unknown.push(`${name}@${spec} (optional dependency of ${parentKey || 'the root'})`);
        continue;
      }
      const [, os = '', cpu = '', libc] = platform;
      const entry: LockEntry = { version: spec, cpu: [cpu] };
      if (parent.dev === true) entry.dev = true;
      if (libc === 'musl') entry.libc = ['musl'];
      if (libc === 'gnu') entry.libc = ['glibc'];
      entry.optional = true;
      entry.os = [os];
      stubs.push({ key: `node_modules/${name}`, entry });
    }
  }
  return { stubs, unknown };
}

/** Inserts entries keeping npm's order (root first, then keys sorted with localeCompare 'en'). */
export function withStubs(lock: Lockfile, stubs: readonly Stub[]): Lockfile {
  const merged: Record<string, LockEntry> = { ...lock.packages };
  for (const stub of stubs) merged[stub.key] = stub.entry;
  const keys = Object.keys(merged)
    .filter((k) => k !== '')
    .sort((a, b) => a.localeCompare(b, 'en'));
  const packages: Record<string, LockEntry> = {};
  if (merged[''] !== undefined) packages[''] = merged[''];
  for (const key of keys) packages[key] = merged[key] as LockEntry;
  return { ...lock, packages };
}

function main(): number {
  const check = process.argv.includes('--check');
  const path = fileURLToPath(new URL('../package-lock.json', import.meta.url));
  const lock = JSON.parse(readFileSync(path, 'utf8')) as Lockfile;
  const { stubs, unknown } = findMissingPlatformPackages(lock);
  for (const name of unknown) console.error(`lockfile:stubs: cannot infer a platform for ${name}`);
  if (stubs.length === 0) {
    console.log('lockfile:stubs: no platform-specific optional package is missing from package-lock.json');
    return unknown.length === 0 ? 0 : 1;
  }
  for (const stub of stubs)
    console.log(`lockfile:stubs: ${check ? 'missing' : 'adding'} ${stub.key}@${stub.entry.version}`);
  if (check) return 1;
  writeFileSync(path, `${JSON.stringify(withStubs(lock, stubs), null, 2)}\n`);
  return unknown.length === 0 ? 0 : 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exitCode = main();
