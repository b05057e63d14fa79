// The CPO side of certificate installation: what an OCPP 2.0.1 CSMS does with the charger's
// Get15118EVCertificateRequest {iso15118SchemaVersion, action, exiRequest} — it calls the CCP's
// install route (OPCP POST /v1/ccp/signedContractData {certificateInstallationReq, xsdMsgDefNamespace}
// with a CPO token) and hands the CertificateInstallationRes back as exiResponse (interop.md §3,
// exi-and-signatures.md summary item 4). OPCP has no CertificateUpdate: Update is refused here (the
// SECC answers FAILED), as EVerest does (interop.md §1.5; D-128).

import { appError } from '../../errors/catalogue.ts';
import type { CertificateInstallationBackend, InstallationAction } from './ports.ts';

/** OCPP 2.0.1 Get15118EVCertificateRequest, as the charger sends it to the CSMS. */
export interface Get15118EVCertificateRequest {
  readonly iso15118SchemaVersion: string;
  readonly action: InstallationAction;
  readonly exiRequest: string;
}

/** OCPP 2.0.1 Get15118EVCertificateResponse. */
export interface Get15118EVCertificateResponse {
  readonly status: 'Accepted' | 'Failed';
  readonly exiResponse: string;
}

export interface CcpHttpBackendOptions {
  /** The CCP install route, e.g. http://127.0.0.1:8080/v1/ccp/signedContractData. */
  readonly url: string;
  /** Bearer token of a CPO client. */
  readonly token: string;
  /** OCPP iso15118SchemaVersion; default the ISO 15118-2 MsgDef namespace. */
  readonly schemaVersion?: string;
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

/** OCPP 2.0.1 bounds exiResponse at 5600 characters; Hubject asks for 7500 (interop.md §3). */
export const MAX_EXI_RESPONSE_CHARS = 16 * 1024;

export class CcpHttpBackend implements CertificateInstallationBackend {
  readonly #options: CcpHttpBackendOptions;

  constructor(options: CcpHttpBackendOptions) {
    this.#options = options;
  }

  async install(
    exiBase64Request: string,
    action: InstallationAction,
    schemaVersion?: string,
  ): Promise<string> {
    const response = await this.get15118EVCertificate({
      iso15118SchemaVersion: schemaVersion ?? this.#options.schemaVersion ?? 'urn:iso:15118:2:2013:MsgDef',
      action,
      exiRequest: exiBase64Request,
    });
    return response.exiResponse;
  }

  /** ISO 15118-20: every contract the CCP answers (emaidContent in order), D-162. */
  async installChains(exiBase64Request: string, schemaVersion: string): Promise<string[]> {
    return (
      await this.#call({
        iso15118SchemaVersion: schemaVersion,
        action: 'Install',
        exiRequest: exiBase64Request,
      })
    ).all;
  }

  /** The CSMS half of Get15118EVCertificate: OCPP in, OPCP to the CCP, OCPP out. */
  async get15118EVCertificate(request: Get15118EVCertificateRequest): Promise<Get15118EVCertificateResponse> {
    const { all } = await this.#call(request);
    return { status: 'Accepted', exiResponse: all[0]! };
  }

  async #call(request: Get15118EVCertificateRequest): Promise<{ all: string[] }> {
    if (request.action !== 'Install')
      throw appError('secc.backend', 'the CCP (OPCP) installs only; CertificateUpdate is not offered');
    let res: Response;
    try {
      res = await (this.#options.fetch ?? fetch)(this.#options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.#options.token}` },
        body: JSON.stringify({
          certificateInstallationReq: request.exiRequest,
          xsdMsgDefNamespace: request.iso15118SchemaVersion,
        }),
        signal: AbortSignal.timeout(this.#options.timeoutMs ?? 4_000),
      });
    } catch (e) {
      throw appError('secc.backend', `the CCP cannot be reached: ${(e as Error).message}`, { cause: e });
    }
    const text = await res.text();
    if (res.status !== 200)
      throw appError('secc.backend', `the CCP answered HTTP ${res.status}`, {
        details: { status: res.status },
      });
    let items: unknown[];
    try {
      const body = JSON.parse(text) as {
        CCPResponse?: { emaidContent?: unknown };
        signedContractData?: unknown;
      };
      const content = body.CCPResponse?.emaidContent;
      // An array (OPCP) or a single object (ev-server compatibility form).
      items = Array.isArray(content) ? content : content === undefined ? [] : [content];
    } catch (e) {
      throw appError('secc.backend', 'the CCP answer is not JSON', { cause: e });
    }
    // -20 answers carry at most 255 contracts (RemainingContractCertificateChains is an unsignedByte).
    const all = items
      .slice(0, 256)
      .map(
        (item) =>
          (item as { messageDef?: { certificateInstallationRes?: unknown } } | undefined)?.messageDef
            ?.certificateInstallationRes,
      );
    if (
      all.length === 0 ||
      all.some((x) => typeof x !== 'string' || x.length === 0 || x.length > MAX_EXI_RESPONSE_CHARS)
    )
      throw appError('secc.backend', 'the CCP answer carries no usable certificateInstallationRes');
    return { all: all as string[] };
  }
}
