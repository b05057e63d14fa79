// The HTTP ceiling of Node on one core, for bench/ocsp.bench.ts: a bare node:http server (no
// framework, no logging, no routing) that reads each request body and answers it with the same
// fixed bytes from memory. No responder built on node:http can answer faster on the same core and
// with the same load generator, so the rows measured against it bound what any of our rows can
// reach (interop.md §4.4 asks for comparisons against measured ceilings).
//
// With a curve, it also signs every request body once with ECDSA (node:crypto, synchronously, with
// the KeyObject: its fastest form) before answering: the ceiling of a nonce OCSP response, which
// needs one signature per request (RFC 9654). Measured directly because the signature and the
// socket work slow each other down on one core: adding up their separate costs overstates it.
//
//   node bench/lib/http-ceiling-server.ts PORT BODY_BYTES [P-256|P-521]

import { generateKeyPairSync, sign } from 'node:crypto';
import { createServer } from 'node:http';

const port = Number(process.argv[2]);
const size = Number(process.argv[3] ?? 300);
const curve = process.argv[4];
if (
  !Number.isInteger(port) ||
  port < 1 ||
  !Number.isInteger(size) ||
  size < 0 ||
  (curve !== undefined && curve !== 'P-256' && curve !== 'P-521')
) {
  console.error('usage: http-ceiling-server.ts PORT BODY_BYTES [P-256|P-521]');
  process.exit(2);
}
const key =
  curve === undefined
    ? undefined
    : generateKeyPairSync('ec', { namedCurve: curve === 'P-256' ? 'prime256v1' : 'secp521r1' }).privateKey;
const hash = curve === 'P-521' ? 'sha512' : 'sha256';
const body = Buffer.alloc(size, 0x30);
const headers = { 'content-type': 'application/ocsp-response', 'content-length': String(size) };

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => {
    if (key !== undefined) chunks.push(chunk);
  });
  request.on('end', () => {
    // The signature is made and thrown away: the answer stays the fixed body of the plain ceiling.
    if (key !== undefined) sign(hash, Buffer.concat(chunks), key);
    response.writeHead(200, headers);
    response.end(body);
  });
});
server.listen(port, '127.0.0.1', () => console.log(`listening on ${port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
