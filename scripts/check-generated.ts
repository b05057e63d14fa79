// `npm run check:generated`: proves that src/exi/gen/** is exactly what the generator produces from the
// schemas, so nobody edits generated code by hand and nobody forgets to regenerate (same idea as
// protobuf-es scripts/gh-diffcheck.js and Boulder's generate-and-diff stage).
//
// Runs `node tools/exi-codegen/main.ts --out <tmp>` and compares <tmp> with src/exi/gen byte for byte.
// Skips (exit 0, with a SKIPPED line) when the third-party schemas are not available, since they are
// never copied into this repository, or when the generator does not exist yet.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const generator = join(root, 'tools', 'exi-codegen', 'main.ts');
const committed = join(root, 'src', 'exi', 'gen');
const sharedDir = process.env.PNC_SHARED_DIR ?? join(root, '..', 'shared');
const schemas = join(sharedDir, 'schemas');

/** Relative paths (with `/`) of all files under dir, sorted; empty when dir does not exist. */
function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (current: string): void => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const full = join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.push(relative(dir, full).split(sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

/** A short description of the first difference between two text files. */
function firstDifference(expected: string, actual: string): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) {
      return `line ${i + 1}:\n      generator: ${JSON.stringify(a[i] ?? '<end of file>')}\n      committed: ${JSON.stringify(b[i] ?? '<end of file>')}`;
    }
  }
  return 'contents differ';
}

function main(): number {
  if (!existsSync(schemas) || !statSync(schemas).isDirectory()) {
    console.log(
      `SKIPPED: generated-code check needs ../shared/schemas (or $PNC_SHARED_DIR/schemas); not found at ${schemas}`,
    );
    return 0;
  }
  if (!existsSync(generator)) {
    console.log('SKIPPED: generated-code check: tools/exi-codegen/main.ts does not exist yet');
    return 0;
  }

  const out = mkdtempSync(join(tmpdir(), 'pnc-gen-'));
  try {
    const run = spawnSync(process.execPath, [generator, '--out', out], {
      cwd: root,
      encoding: 'utf8',
      env: process.env,
    });
    if (run.status !== 0) {
      process.stderr.write(run.stdout);
      process.stderr.write(run.stderr);
      console.error(`check:generated: the generator failed (exit ${run.status ?? run.signal})`);
      return 1;
    }

    const fresh = listFiles(out);
    const existing = listFiles(committed);
    if (fresh.length === 0) {
      console.error(`check:generated: the generator wrote no files into ${out}`);
      return 1;
    }
    const problems: string[] = [];
    const existingSet = new Set(existing);
    const freshSet = new Set(fresh);
    for (const file of fresh) {
      if (!existingSet.has(file)) {
        problems.push(`  missing in src/exi/gen: ${file}`);
        continue;
      }
      const a = readFileSync(join(out, file));
      const b = readFileSync(join(committed, file));
      if (!a.equals(b)) {
        problems.push(
          `  differs: src/exi/gen/${file}, ${firstDifference(a.toString('utf8'), b.toString('utf8'))}`,
        );
      }
    }
    for (const file of existing) {
      if (!freshSet.has(file)) problems.push(`  not produced by the generator: src/exi/gen/${file}`);
    }

    if (problems.length > 0) {
      console.error('check:generated: src/exi/gen is not what the generator produces:');
      for (const line of problems.slice(0, 20)) console.error(line);
      if (problems.length > 20) console.error(`  ... and ${problems.length - 20} more`);
      console.error('Run `npm run generate` and commit src/exi/gen (never edit generated files by hand).');
      return 1;
    }
    console.log(`check:generated: ok (${fresh.length} files in src/exi/gen match the generator output)`);
    return 0;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

process.exitCode = main();
