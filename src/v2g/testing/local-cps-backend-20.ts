// Test support: an ISO 15118-20 CertificateInstallationBackend that does what the CCP + CPS do, with
// the real pieces — EXI codec, OEM signature check (verifyIso20Message), CA issuance of the contract
// certificate (MO Sub-CA 2, -20 contract profile with its 8-byte SKI), -20 key transport to the
// vehicle (SECP521, or X448 with the X448 key of an Ed448 provisioning key, D-141), and the CPS's own
// builder and signer of signed contract data (src/cps/contract-data-20.ts signContractData20). Several
// contracts per request count RemainingContractCertificateChains down (D-147).

import { randomBytes, X509Certificate } from 'node:crypto';
import { x448PublicKeyOfEd448 } from '../../contract-key/ed448-x448.ts';
import { encryptContractKeyIso20 } from '../../contract-key/iso20-key-transport.ts';
import { type Iso20Message, signContractData20 } from '../../cps/contract-data-20.ts';
import { appError } from '../../errors/catalogue.ts';
import { encodeExiDocument, type ModelObject } from '../../exi/codec.ts';
import { parseCertificate } from '../../pki/ocsp/index.ts';
import { computeEmaidCheckDigit } from '../../pki/profiles/identifiers.ts';
import { verifyIso20Message } from '../../xmldsig/v2g-signature.ts';
import { decodeIso20 } from '../messages.ts';
import type { CertificateInstallationBackend, InstallationAction } from '../secc/ports.ts';
import type { V2gTestPki } from './demo-pki.ts';

export interface LocalCps20Options {
  /** Provider part of generated EMAIDs (country + 3), default 'DEPNC'. */
  readonly provider?: string;
  /** Contracts made per request (capped by MaximumContractCertificateChains); default 1. */
  readonly contracts?: number;
  /** Changes the signed response model before encoding (negative tests). */
  readonly tamper?: (message: Iso20Message) => void;
}

export class LocalCps20Backend implements CertificateInstallationBackend {
  readonly #pki: V2gTestPki;
  readonly #options: LocalCps20Options;
  /** Requests seen: the schema version the SECC sent and the EMAIDs made. */
  readonly calls: { schemaVersion: string | undefined; emaids: string[] }[] = [];

  constructor(pki: V2gTestPki, options: LocalCps20Options = {}) {
    if (pki.iso !== 20) throw appError('v2g.invalid-config', 'LocalCps20Backend needs the -20 test PKI');
    this.#pki = pki;
    this.#options = options;
  }

  async install(
    exiBase64Request: string,
    action: InstallationAction,
    schemaVersion?: string,
  ): Promise<string> {
    if (action !== 'Install') throw appError('secc.backend', 'the local -20 CPS only installs');
    return (await this.#answer(exiBase64Request, schemaVersion, 1))[0]!;
  }

  async installChains(exiBase64Request: string, schemaVersion: string): Promise<string[]> {
    return this.#answer(exiBase64Request, schemaVersion, this.#options.contracts ?? 1);
  }

  async #answer(b64: string, schemaVersion: string | undefined, wanted: number): Promise<string[]> {
    const request = decodeIso20(new Uint8Array(Buffer.from(b64, 'base64')));
    if (request.type !== 'CertificateInstallationReq')
      throw appError('secc.backend', `the local CPS only installs (got ${request.type})`);
    const report = verifyIso20Message(request.decoded);
    if (!report.valid)
      throw appError('secc.backend', `the OEM signature does not verify (${report.signature})`);
    const oem = (request.body.OEMProvisioningCertificateChain as ModelObject).Certificate as Uint8Array;
    const oemCert = new X509Certificate(oem);
    const pcid = (/^CN=(.*)$/m.exec(oemCert.subject)?.[1] ?? '').toUpperCase();
    const ed448 = oemCert.publicKey.asymmetricKeyType === 'ed448';
    const maximum = Math.max(1, Number(request.body.MaximumContractCertificateChains));
    const count = Math.min(wanted, maximum);
    const [cpsLeaf, ...cpsSubs] = this.#pki.cpsChain;
    const suite = this.#pki.cpsSigner.handle.algorithm === 'Ed448' ? 'ed448-shake256' : 'ecdsa-p521-sha512';
    const emaids: string[] = [];
    const out: string[] = [];
    for (let i = 0; i < count; i++) {
      const base = `${this.#options.provider ?? 'DEPNC'}C${randomBytes(4).toString('hex').toUpperCase()}`;
      const emaid = base + computeEmaidCheckDigit(base);
      // D-142: an Ed448 vehicle gets an Ed448 contract key (X448 transport), a P-521 one a P-521 key.
      const contract = await this.#pki.issueLeaf(
        'mo-sub2',
        'contract-leaf',
        emaid,
        ed448 ? 'Ed448' : 'P-521',
      );
      const ski = parseCertificate(contract.chain[0]!).subjectKeyIdentifier;
      if (!ski) throw appError('secc.backend', 'the contract certificate has no SKI');
      const transport = encryptContractKeyIso20({
        contractPrivateKey: contract.key,
        recipient: ed448 ? x448PublicKeyOfEd448(oemCert.publicKey) : oemCert.publicKey,
        pcid,
        contractSki: ski,
        randomBytes: (n) => new Uint8Array(randomBytes(n)),
      });
      const [contractLeaf, ...contractSubs] = contract.chain;
      const signed = await signContractData20(
        {
          contractChain: { certificate: contractLeaf!, subCertificates: contractSubs },
          curve: transport.curve,
          dhPublicKey: transport.dhPublicKey,
          encryptedPrivateKey: transport.encryptedPrivateKey,
        },
        {
          cpsChain: { certificate: cpsLeaf!, subCertificates: cpsSubs },
          suite,
          signRaw: (data) => this.#pki.cpsSigner.signRaw(data),
          sessionId: request.sessionId,
          timeStamp: this.#pki.clock.now(),
          remaining: count - 1 - i,
        },
      );
      let exi = signed.exi;
      if (this.#options.tamper) {
        const message = signed.message;
        this.#options.tamper(message);
        exi = encodeExiDocument('iso-20-common', message);
      }
      emaids.push(emaid);
      out.push(Buffer.from(exi).toString('base64'));
    }
    this.calls.push({ schemaVersion, emaids });
    return out;
  }
}
