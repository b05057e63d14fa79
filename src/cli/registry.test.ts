import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../errors/app-error.ts';
import { appError } from '../errors/catalogue.ts';
import { type CliCommand, type CliIo, defineCommand, runCli, validateRegistry } from './registry.ts';

interface Captured {
  io: CliIo;
  stdout: () => string;
  stderr: () => string;
}

function capture(env: Record<string, string> = {}, stdin: Uint8Array = new Uint8Array()): Captured {
  let out = '';
  let err = '';
  const decoder = new TextDecoder();
  const text = (chunk: string | Uint8Array) => (typeof chunk === 'string' ? chunk : decoder.decode(chunk));
  return {
    io: {
      stdout: {
        write: (chunk) => {
          out += text(chunk);
        },
      },
      stderr: {
        write: (chunk) => {
          err += text(chunk);
        },
      },
      readStdin: async () => stdin,
      env,
    },
    stdout: () => out,
    stderr: () => err,
  };
}

const echo = defineCommand({
  path: ['demo', 'echo'],
  summary: 'Echo arguments',
  usage: 'Usage: pnc demo echo [--upper] [--times N] WORD...',
  options: {
    upper: { type: 'boolean', short: 'u' },
    times: { type: 'string', default: '1' },
    tag: { type: 'string', multiple: true },
  },
  optionHelp: { upper: 'Upper-case the output' },
  async run({ values, positionals, stdout }) {
    // Typed from the option config: boolean | undefined, string, string[] | undefined.
    const upper: boolean | undefined = values.upper;
    const times: string = values.times;
    const tags: string[] | undefined = values.tag;
    if (!/^\d+$/.test(times)) throw appError('cli.usage', `--times must be a number, got '${times}'`);
    const line = positionals.join(' ') + (tags === undefined ? '' : ` [${tags.join(',')}]`);
    for (let i = 0; i < Number(times); i++) stdout.write(`${upper === true ? line.toUpperCase() : line}\n`);
    return 0;
  },
});

const cat = defineCommand({
  path: ['demo', 'cat'],
  summary: 'Copy stdin to stdout',
  usage: 'Usage: pnc demo cat',
  options: {},
  async run({ readStdin, stdout }) {
    stdout.write(await readStdin());
    return 0;
  },
});

const fail = defineCommand({
  path: ['fail'],
  summary: 'Fails in the way --how says',
  usage: 'Usage: pnc fail --how app|bug|code',
  options: { how: { type: 'string' } },
  async run({ values }) {
    if (values.how === 'app') {
      throw new AppError('NotFound', 'demo.not-found', 'no such thing', { details: { id: 7n } });
    }
    if (values.how === 'code') return 3;
    throw new TypeError('boom');
  },
});

const commands: readonly CliCommand[] = [echo, cat, fail];

test('dispatches to the longest matching path with typed option values', async () => {
  const c = capture();
  const code = await runCli(
    ['demo', 'echo', '-u', '--times', '2', '--tag', 'a', '--tag', 'b', 'hi', 'you'],
    c.io,
    commands,
  );
  assert.equal(code, 0);
  assert.equal(c.stdout(), 'HI YOU [A,B]\nHI YOU [A,B]\n');
  assert.equal(c.stderr(), '');
});

test('arguments after -- are positionals, even --help', async () => {
  const c = capture();
  assert.equal(await runCli(['demo', 'echo', '--', '--help', '-x'], c.io, commands), 0);
  assert.equal(c.stdout(), '--help -x\n');
});

test('stdin is handed to the command as bytes', async () => {
  const c = capture({}, new TextEncoder().encode('bytes\n'));
  assert.equal(await runCli(['demo', 'cat'], c.io, commands), 0);
  assert.equal(c.stdout(), 'bytes\n');
});

test('global help lists every command; exit 0 on stdout', async () => {
  for (const argv of [['--help'], ['-h'], ['help']]) {
    const c = capture();
    assert.equal(await runCli(argv, c.io, commands), 0, argv.join(' '));
    assert.match(c.stdout(), /Usage: pnc <command>/);
    assert.match(c.stdout(), /demo echo\s+Echo arguments/);
    assert.match(c.stdout(), /fail\s+Fails/);
    assert.equal(c.stderr(), '');
  }
});

test('no arguments: help on stderr, exit 2', async () => {
  const c = capture();
  assert.equal(await runCli([], c.io, commands), 2);
  assert.match(c.stderr(), /Usage: pnc <command>/);
  assert.equal(c.stdout(), '');
});

test('command help shows usage and options, including defaults and the generated --help', async () => {
  const c = capture();
  assert.equal(await runCli(['demo', 'echo', '--bogus', '--help'], c.io, commands), 0);
  const help = c.stdout();
  assert.match(help, /^pnc demo echo: Echo arguments/);
  assert.match(help, /Usage: pnc demo echo/);
  assert.match(help, /-u, --upper\s+Upper-case the output/);
  assert.match(help, /--times <value>\s+\(default: "1"\)/);
  assert.match(help, /--tag <value>\s+\(repeatable\)/);
  assert.match(help, /-h, --help\s+Show this help/);
});

test('group help: `pnc demo --help` lists the group; `pnc demo` is a usage error', async () => {
  const ok = capture();
  assert.equal(await runCli(['demo', '--help'], ok.io, commands), 0);
  assert.match(ok.stdout(), /demo cat/);
  assert.match(ok.stdout(), /demo echo/);
  assert.doesNotMatch(ok.stdout(), /fail/);
  const bad = capture();
  assert.equal(await runCli(['demo'], bad.io, commands), 2);
  assert.match(bad.stderr(), /'demo' needs a command/);
});

test('unknown command and unknown subcommand: exit 2 with a message on stderr', async () => {
  const c = capture();
  assert.equal(await runCli(['nope'], c.io, commands), 2);
  assert.match(c.stderr(), /unknown command 'nope'/);
  assert.equal(c.stdout(), '');
  const d = capture();
  assert.equal(await runCli(['demo', 'nope'], d.io, commands), 2);
  assert.match(d.stderr(), /unknown command 'demo nope'/);
});

test('unknown option, missing option value, unknown global option: exit 2', async () => {
  const unknown = capture();
  assert.equal(await runCli(['demo', 'echo', '--bogus'], unknown.io, commands), 2);
  assert.match(unknown.stderr(), /^pnc demo echo: unknown option '--bogus'\n/);
  assert.match(unknown.stderr(), /Run 'pnc demo echo --help'/);
  const missing = capture();
  assert.equal(await runCli(['demo', 'echo', '--times'], missing.io, commands), 2);
  assert.match(missing.stderr(), /--times/);
  const global = capture();
  assert.equal(await runCli(['--bogus'], global.io, commands), 2);
  assert.match(global.stderr(), /unknown option '--bogus'/);
});

test('AppError cli.usage from a command is a usage error (exit 2)', async () => {
  const c = capture();
  assert.equal(await runCli(['demo', 'echo', '--times', 'x'], c.io, commands), 2);
  assert.match(c.stderr(), /--times must be a number/);
});

test('AppError: code and message on stderr, exit 1; details serialised (bigint too)', async () => {
  const c = capture();
  assert.equal(await runCli(['fail', '--how', 'app'], c.io, commands), 1);
  assert.match(c.stderr(), /^pnc: error \[demo\.not-found\]: no such thing\n {2}details: \{"id":"7"\}\n$/);
});

test('other errors: "internal error" without stack, exit 70; stack with PNC_DEBUG=1', async () => {
  const quiet = capture();
  assert.equal(await runCli(['fail', '--how', 'bug'], quiet.io, commands), 70);
  assert.match(quiet.stderr(), /internal error/);
  assert.doesNotMatch(quiet.stderr(), /boom|at /);
  const debug = capture({ PNC_DEBUG: '1' });
  assert.equal(await runCli(['fail', '--how', 'bug'], debug.io, commands), 70);
  assert.match(debug.stderr(), /TypeError: boom\n\s+at /);
});

test('a command may return its own exit code', async () => {
  assert.equal(await runCli(['fail', '--how', 'code'], capture().io, commands), 3);
});

test('validateRegistry rejects duplicates, prefixes, bad names and a declared --help', () => {
  const base = { summary: 's', usage: 'u', options: {}, run: async () => 0 };
  assert.throws(
    () =>
      validateRegistry([
        { ...base, path: ['a'] },
        { ...base, path: ['a'] },
      ]),
    /duplicate/,
  );
  assert.throws(
    () =>
      validateRegistry([
        { ...base, path: ['a'] },
        { ...base, path: ['a', 'b'] },
      ]),
    /prefix/,
  );
  assert.throws(() => validateRegistry([{ ...base, path: ['A'] }]), /invalid command path/);
  assert.throws(() => validateRegistry([{ ...base, path: [] }]), /invalid command path/);
  assert.throws(
    () => validateRegistry([{ ...base, path: ['a'], options: { help: { type: 'boolean' } } }]),
    /declares --help/,
  );
  validateRegistry(commands);
});
