import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findMissingPlatformPackages, withStubs } from './lockfile-platform-stubs.ts';

const lock = {
  lockfileVersion: 3,
  packages: {
    '': { name: 'x', devDependencies: { tool: '^1.0.0' } },
    'node_modules/tool': {
      version: '1.0.0',
      dev: true,
      optionalDependencies: {
        'tool-linux-x64': '1.0.0',
        'tool-linux-x64-musl': '1.0.0',
        'tool-darwin-arm64': '1.0.0',
        'tool-win32-x64-msvc': '1.0.0',
        'helper-thing': '1.0.0',
      },
    },
    'node_modules/tool-linux-x64': {
      version: '1.0.0',
      dev: true,
      optional: true,
      os: ['linux'],
      cpu: ['x64'],
    },
  },
};

test('infers os, cpu and libc from platform package names; reports what it cannot infer', () => {
  const { stubs, unknown } = findMissingPlatformPackages(lock);
  assert.deepEqual(
    stubs.map((s) => [s.key, s.entry]),
    [
      [
        'node_modules/tool-linux-x64-musl',
        { version: '1.0.0', cpu: ['x64'], dev: true, libc: ['musl'], optional: true, os: ['linux'] },
      ],
      [
        'node_modules/tool-darwin-arm64',
        { version: '1.0.0', cpu: ['arm64'], dev: true, optional: true, os: ['darwin'] },
      ],
      [
        'node_modules/tool-win32-x64-msvc',
        { version: '1.0.0', cpu: ['x64'], dev: true, optional: true, os: ['win32'] },
      ],
    ],
  );
  assert.deepEqual(unknown, ['helper-thing@1.0.0 (optional dependency of node_modules/tool)']);
});

test('withStubs keeps the root first and sorts the rest like npm', () => {
  const { stubs } = findMissingPlatformPackages(lock);
  const keys = Object.keys(withStubs(lock, stubs).packages);
  assert.deepEqual(keys, [
    '',
    'node_modules/tool',
    'node_modules/tool-darwin-arm64',
    'node_modules/tool-linux-x64',
    'node_modules/tool-linux-x64-musl',
    'node_modules/tool-win32-x64-msvc',
  ]);
  assert.equal(findMissingPlatformPackages(withStubs(lock, stubs)).stubs.length, 0);
});
