// Binds the CLI framework's CliIo to the real process. Kept apart from registry.ts so that the
// framework itself never touches process globals (tests pass their own CliIo).

import { appError } from '../errors/catalogue.ts';
import type { CliIo, CliWriter } from './registry.ts';

/** Default cap for stdin: far above any ISO 15118 message, low enough to refuse a runaway pipe. */
export const DEFAULT_STDIN_LIMIT = 64 * 1024 * 1024;

function streamWriter(stream: NodeJS.WriteStream): CliWriter {
  return {
    write(chunk) {
      stream.write(chunk);
    },
  };
}

export async function readAll(
  stream: AsyncIterable<unknown>,
  maxBytes = DEFAULT_STDIN_LIMIT,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : (chunk as Uint8Array);
    total += bytes.byteLength;
    if (total > maxBytes) {
      throw appError('cli.input', `stdin is larger than ${maxBytes} bytes`, { details: { maxBytes } });
    }
    chunks.push(bytes);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

export function processIo(): CliIo {
  // `pnc ... | head` closes the pipe early: EPIPE on stdout is not an error of ours.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
  return {
    stdout: streamWriter(process.stdout),
    stderr: streamWriter(process.stderr),
    readStdin: (maxBytes) => readAll(process.stdin, maxBytes),
    env: process.env,
  };
}
