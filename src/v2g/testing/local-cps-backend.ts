// Test support: a CertificateInstallationBackend that does what the CCP + CPS will do, with the real
// pieces — EXI codec, OEM signature check, CA issuance of the contract certificate (MO Sub-CA 2),
// ISO 15118-2 key transport to the OEM provisioning certificate, CertificateInstallationRes signed by
// the CPS leaf of the demo hierarchy. Used until the CCP route exists (src/ccp is another helper's).

import { randomBytes } from 'node:crypto';
import { encryptContractKeyIso2 } from '../../contract-key/iso2-key-transport.ts';
import { appError } from '../../errors/catalogue.ts';
import type { ModelObject } from '../../exi/codec.ts';
import { computeEmaidCheckDigit } from '../../pki/profiles/identifiers.ts';
import { signV2gMessage, verifyV2gMessage } from '../../xmldsig/v2g-signature.ts';
import { decodeIso2, encodeIso2, iso2Message } from '../messages.ts';
import type { CertificateInstallationBackend, InstallationAction } from '../secc/ports.ts';
import type { V2gTestPki } from './demo-pki.ts';

export interface LocalCpsOptions {
  /** Provider part of generated EMAIDs (country + 3), default 'DEPNC'. */
  readonly provider?: string;
  /** Changes the signed response model before encoding (negative tests). */
  readonly tamper?: (message: { name: { ns: string; local: string }; value: ModelObject }) => void;
}

export class LocalCpsBackend implements CertificateInstallationBackend {
  readonly #pki: V2gTestPki;
  readonly #options: LocalCpsOptions;
  /** Requests seen, for assertions: action and whether the OEM signature verified. */
  readonly calls: { action: InstallationAction; emaid: string }[] = [];

  constructor(pki: V2gTestPki, options: LocalCpsOptions = {}) {
    this.#pki = pki;
    this.#options = options;
  }

  async install(exiBase64Request: string, action: InstallationAction): Promise<string> {
    const request = decodeIso2(new Uint8Array(Buffer.from(exiBase64Request, 'base64')));
    if (request.type !== 'CertificateInstallationReq' || action !== 'Install')
      throw appError('secc.backend', `the local CPS only installs (got ${request.type}, ${action})`);
    const report = verifyV2gMessage(request.decoded);
    if (!report.valid)
      throw appError('secc.backend', `the OEM signature does not verify (${report.signature})`);
    const oemCertificate = request.body.OEMProvisioningCert as Uint8Array;
    // A fresh eMA instance per installation: 'C' + 8 random hex digits (upper case).
    const base = `${this.#options.provider ?? 'DEPNC'}C${randomBytes(4).toString('hex').toUpperCase()}`;
    const emaid = base + computeEmaidCheckDigit(base);
    const contract = await this.#pki.issueLeaf('mo-sub2', 'contract-leaf', emaid);
    const encrypted = encryptContractKeyIso2({
      contractPrivateKey: contract.key,
      recipient: oemCertificate,
      randomBytes: (n) => new Uint8Array(randomBytes(n)),
    });
    const [cpsLeaf, ...cpsSubs] = this.#pki.cpsChain;
    const [contractLeaf, ...contractSubs] = contract.chain;
    const message = iso2Message(request.sessionId, 'CertificateInstallationRes', {
      ResponseCode: 'OK',
      SAProvisioningCertificateChain: { Certificate: cpsLeaf!, SubCertificates: { Certificate: cpsSubs } },
      ContractSignatureCertChain: {
        Id: 'ID1',
        Certificate: contractLeaf!,
        SubCertificates: { Certificate: contractSubs },
      },
      ContractSignatureEncryptedPrivateKey: { Id: 'ID2', $value: encrypted.encryptedPrivateKey },
      DHpublickey: { Id: 'ID3', $value: encrypted.dhPublicKey },
      eMAID: { Id: 'ID4', $value: emaid },
    });
    await signV2gMessage(message, {
      ids: ['ID1', 'ID2', 'ID3', 'ID4'],
      signRaw: (data) => this.#pki.cpsSigner.signRaw(data),
    });
    this.#options.tamper?.(message);
    this.calls.push({ action, emaid });
    return Buffer.from(encodeIso2(message)).toString('base64');
  }
}
