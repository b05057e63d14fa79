// The HTTP ceiling of Node on one core, for bench/ocsp.bench.ts: a bare node:http server (no
// framework, no logging, no routing) that reads each request body and answers it with the same
// fixed bytes from memory. No responder built on node:http can answer faster on the same core and
// with the same load generator, so the rows measured against it bound what any of our rows can
// reach (interop.md §4.4 asks for comparisons against measured ceilings).
//
//   node bench/lib/http-ceiling-server.ts PORT BODY_BYTES

import { createServer } from 'node:http';

const port = Number(process.argv[2]);
const size = Number(process.argv[3] ?? 300);
if (!Number.isInteger(port) || port < 1 || !Number.isInteger(size) || size < 0) {
  console.error('usage: http-ceiling-server.ts PORT BODY_BYTES');
  process.exit(2);
}
const body = Buffer.alloc(size, 0x30);
const headers = { 'content-type': 'application/ocsp-response', 'content-length': String(size) };

const server = createServer((request, response) => {
  request.on('data', () => undefined);
  request.on('end', () => {
    response.writeHead(200, headers);
    response.end(body);
  });
});
server.listen(port, '127.0.0.1', () => console.log(`listening on ${port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
