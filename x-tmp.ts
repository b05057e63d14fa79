import { createTestPki, TempDir, toPem, openssl, opensslBytes } from './src/pki/ocsp/testing/test-pki.ts';
import { parseOcspRequest, buildOcspResponse, matchCertId, parseCertificate } from './src/pki/ocsp/index.ts';
import { readFileSync } from 'node:fs';
for (const alg of ['P-256','P-521','Ed448'] as const) {
const pki = await createTestPki(alg);
const d = new TempDir();
d.write('root.pem', toPem(pki.root.certificate, 'CERTIFICATE'));
d.write('sub.pem', toPem(pki.sub.certificate, 'CERTIFICATE'));
d.write('resp.pem', toPem(pki.responder.certificate, 'CERTIFICATE'));
for (const [i,l] of pki.leaves.entries()) d.write(`leaf${i}.pem`, toPem(l.certificate, 'CERTIFICATE'));
let r = openssl(['ocsp','-issuer','sub.pem','-sha256','-cert','leaf0.pem','-cert','leaf1.pem','-cert','leaf2.pem','-reqout','req.der'],{cwd:d.path});
const req = parseOcspRequest(new Uint8Array(readFileSync(d.file('req.der'))));
const subInfo = parseCertificate(pki.sub.certificate);
console.log(req.certIds.map(c=>[c.hashAlgorithm,c.serialHex, matchCertId(c,{subjectDer:subInfo.subjectDer, spkiDer: subInfo.spki.der})]), req.nonce?.length);
const now = Date.now();
for (const mode of ['issuer','delegated'] as const) {
const resp = await buildOcspResponse({ responder: { signer: mode==='issuer'? pki.sub.signer : pki.responder.signer, certificate: mode==='issuer'? pki.sub.certificate: pki.responder.certificate, includeCertificates: true }, responderId: mode==='issuer'?'byKey':'byName', producedAt: new Date(now), nonce: req.nonce, responses: req.certIds.map((c,i)=>({certId:c, status: i===0?'good': i===1?{revoked:{time:new Date(now-3600e3), reason:1}}:'unknown', thisUpdate:new Date(now-60e3), nextUpdate:new Date(now+3600e3)})) });
d.write('resp.der', resp);
r = openssl(['ocsp','-reqin','req.der','-respin','resp.der','-CAfile','root.pem','-verify_other','sub.pem','-issuer','sub.pem','-cert','leaf0.pem','-cert','leaf1.pem','-cert','leaf2.pem','-resp_text'],{cwd:d.path});
console.log(alg, mode, r.status, r.output.split('\n').filter(l=>/verify|leaf|Reason|Nonce|error|WARN|Algorithm|Responder Id/i.test(l)).join('\n'));
}
d.remove();
}
