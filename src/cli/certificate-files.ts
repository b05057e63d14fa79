// Certificate files given on the command line: PEM (one or several CERTIFICATE blocks) or DER (one
// or several concatenated certificates), size-bounded before reading. One reader for every command.
import { readFile, stat } from 'node:fs/promises';
import { appError } from '../errors/catalogue.ts';
import { MAX_BUNDLE_BYTES, splitCertificates } from '../pki/path/index.ts';

export async function readCertificateFile(file: string): Promise<readonly Uint8Array[]> {
  let data: Buffer;
  try {
    // Refuse huge files before reading them (a certificate bundle is kilobytes).
    const info = await stat(file);
    if (!info.isFile()) throw new Error('not a regular file');
    if (info.size > MAX_BUNDLE_BYTES)
      throw new Error(`${info.size} bytes, above the bound of ${MAX_BUNDLE_BYTES}`);
    data = await readFile(file);
  } catch (e) {
    throw appError('cli.input', `cannot read ${file}: ${(e as Error).message}`);
  }
  const split = splitCertificates(new Uint8Array(data));
  if (!split.ok) throw appError('cli.input', `${file}: no certificate: ${split.reason}`);
  return split.certificates;
}
