// `pnc demo`: the whole Plug & Charge journey on a throw-away ecosystem, over real HTTP and real TLS.
//
//   temp data dir → embedded SQLite → createApp on 127.0.0.1:0 (software key store, generated passphrase)
//   → PKI (demo hierarchy) + roots in the RCP → API clients per role (OEM, MO, CPO)
//   → OEM registers a webhook endpoint (local receiver) → OEM publishes a vehicle (PCP)
//   → MO generate-and-sign (CPS → CCP) → OEM webhook oem.contract.created (signature verified)
//   → charger: SECC certificate by EST → car ↔ charger over TLS: SupportedAppProtocol … CertificateInstallation
//     (through the CCP) … PaymentDetails (OCSP) … Authorization with the contract → success line.
//
// ISO 15118-20 (D-152, D-180): the same journey with the -20 hierarchy and a P-521 vehicle; the
// vehicle also gets its vehicle certificate (TLS client certificate, Vehicle Sub-CA 2 under the V2G
// root, enrolled by EST `veh` with the OEM token) and the link is TLS 1.3 with mutual authentication:
// SupportedAppProtocol (-20 DC/AC), SessionSetup, AuthorizationSetup, CertificateInstallation (through
// the CCP), Authorization (PnC, contract chain checked by OCSP), SessionStop.
//
// Every step is printed; a failed step is printed with its reason and the run ends with exit 1 (the
// steps that do not depend on it still run, so the output shows everything that works).

import { generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type App, createApp } from '../app/create-app.ts';
import { type Clock, cryptoRandom, type RandomSource, systemClock } from '../app/runtime.ts';
import { registerClient } from '../auth/clients.ts';
import { demoPlan, initDemoHierarchy } from '../ca/demo-hierarchy.ts';
import type { CaView } from '../ca/types.ts';
import { provisioningBody } from '../cli/role-commands.ts';
import { ApiClient } from '../client/api-client.ts';
import { loadConfig } from '../config/load-config.ts';
import { isAppError } from '../errors/app-error.ts';
import { deliveryViews } from '../events/delivery-log.ts';
import { computeEmaidCheckDigit } from '../pki/profiles/identifiers.ts';
import { msgDefNamespaceFor } from '../pool-inputs/index.ts';
import { publishDemoRoots } from '../rcp/demo-roots.ts';
import type { VehicleIdentity } from '../v2g/ev/identity.ts';
import { enrollSecc } from '../v2g/secc/est-enroll.ts';
import { type Charger, makeCar, startCharger } from './charging-site.ts';
import { addVehicleSubCas, enrollVehicleCertificate } from './vehicle-certificate.ts';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.ts';

export interface DemoWriter {
  write(text: string): unknown;
}

export interface DemoOptions {
  readonly iso: 2 | 20;
  /** Keep the data directory (and write the key passphrase into it, mode 0600). */
  readonly keep: boolean;
  readonly out: DemoWriter;
  /** Parent of the temporary data directory (default the OS temp dir). */
  readonly parentDir?: string;
  /** How long to wait for the OEM webhook once its delivery is queued (default 30 s). */
  readonly webhookWaitMs?: number;
}

export interface DemoResult {
  readonly ok: boolean;
  readonly dataDir: string;
  readonly pcid: string;
  readonly emaid: string;
  readonly failed: readonly string[];
}

export const DEMO_WMI = 'WP0';
export const DEMO_PROVIDER = 'DE-PNC';
export const DEMO_OPERATOR = 'DE*PNC';
export const DEMO_EVSE_ID = 'DE*PNC*E12345*1';

/** A PCID of the demo OEM: WMI + 14 random digits (17 characters). */
export function demoPcid(random: RandomSource = cryptoRandom): string {
  const digits = Array.from(random(14), (b) => String(b % 10)).join('');
  return `${DEMO_WMI}${digits}`;
}

/** An EMAID of the demo MO with its check digit: DEPNC + C + 8 random digits + check digit. */
export function demoEmaid(random: RandomSource = cryptoRandom): string {
  const base = `DEPNCC${Array.from(random(8), (b) => String(b % 10)).join('')}`;
  return base + computeEmaidCheckDigit(base);
}

class StepFailed extends Error {}

interface Printer {
  ok(text: string): void;
  info(text: string): void;
  fail(step: string, reason: string): void;
}

function printer(out: DemoWriter, failed: string[]): Printer {
  return {
    ok: (t) => out.write(`✔ ${t}\n`),
    info: (t) => out.write(`  ${t}\n`),
    fail(step, reason) {
      failed.push(step);
      out.write(`✘ ${step}: ${reason}\n`);
    },
  };
}

function reasonOf(error: unknown): string {
  if (isAppError(error)) return `${error.message} [${error.code}]`;
  return error instanceof Error ? error.message : String(error);
}

async function findDemoCa(app: App, iso: 2 | 20, key: string): Promise<CaView> {
  const node = demoPlan(iso).find((n) => n.key === key);
  const found = node === undefined ? undefined : await app.ca.findCaByName(node.commonName);
  if (found === undefined) throw new StepFailed(`the demo CA ${key} of ISO 15118-${iso} is missing`);
  return found;
}

/** The OEM's factory: a provisioning key pair and certificate (CN = PCID) from the OEM Sub-CA 2. */
async function buildVehicle(app: App, iso: 2 | 20, pcid: string): Promise<VehicleIdentity> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', {
    namedCurve: iso === 2 ? 'prime256v1' : 'secp521r1',
  });
  const oemSub2 = await findDemoCa(app, iso, 'oem-sub2');
  const token = await app.ca.prepare({
    issuerCaId: oemSub2.id,
    role: 'oem-prov-leaf',
    subject: { commonName: pcid, organization: 'PnC Demo OEM', country: 'DE' },
    subjectPublicKeyInfo: new Uint8Array(publicKey.export({ format: 'der', type: 'spki' })),
  });
  const issued = await app.ca.issue(token);
  const chain = await app.ca.chain(issued.id);
  return {
    pcid,
    evccId: Uint8Array.of(0x02, ...randomBytes(5)),
    provisioningKey: privateKey,
    provisioningChain: chain.slice(0, -1),
    v2gRoots: [chain[chain.length - 1] as Uint8Array],
  };
}

async function apiClient(
  app: App,
  url: string,
  clock: Clock,
  role: string,
  scope?: string,
): Promise<ApiClient> {
  const registered = await registerClient(
    app.db,
    { role, scope, name: `pnc demo ${role}` },
    { clock, random: cryptoRandom },
  );
  return new ApiClient({
    baseUrl: url,
    credentials: { clientId: registered.clientId, clientSecret: registered.clientSecret },
    clock,
  });
}

async function waitForWebhook(
  app: App,
  receiver: WebhookReceiver,
  endpointId: string,
  emaid: string,
  clock: Clock,
  waitMs: number,
): Promise<string> {
  // The event and its delivery are written in the transaction of the contract (docs/events.md
  // "Outbox"): once the CPS answered, a raised event has its delivery row. None = not raised.
  const deliveries = await deliveryViews(app.db, { endpointId }, clock.now());
  if (!deliveries.some((d) => d.eventType === 'oem.contract.created')) {
    throw new StepFailed(
      'no oem.contract.created delivery was queued for the OEM endpoint: the CCP / CPS do not raise the event yet (events wiring of the pools, docs/events.md "Who raises what")',
    );
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new StepFailed(`the queued delivery did not arrive within ${waitMs / 1000} s`)),
      waitMs,
    );
  });
  try {
    const event = await Promise.race([
      receiver.next('oem.contract.created', (e) =>
        String(e.payload.emaid ?? '').startsWith(emaid.slice(0, 14)),
      ),
      timeout,
    ]);
    if (!event.signatureValid) throw new StepFailed('the delivery arrived but its signature does not verify');
    return event.eventId;
  } finally {
    clearTimeout(timer);
  }
}

export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const { iso, out } = options;
  const clock = systemClock;
  const failed: string[] = [];
  const p = printer(out, failed);
  // A throw-away passphrase for the software key store of this run; never printed.
  const passphrase = randomBytes(24).toString('base64url');
  const pcid = demoPcid();
  const emaid = demoEmaid();
  // Nothing may throw between here and the try whose finish() removes the directory.
  const dataDir = await mkdtemp(join(options.parentDir ?? tmpdir(), 'pnc-demo-'));
  let app: App | undefined;
  let receiver: WebhookReceiver | undefined;
  let charger: Charger | undefined;
  out.write(`pnc demo: the Plug & Charge journey (ISO 15118-${iso}) on a throw-away ecosystem\n`);
  p.info(`data directory ${dataDir} (embedded SQLite)`);
  try {
    const config = loadConfig({
      env: {
        PNC_DATA_DIR: dataDir,
        PNC_HOST: '127.0.0.1',
        PNC_PORT: '0',
        PNC_LOG_LEVEL: 'silent',
        PNC_KEY_PASSPHRASE: passphrase,
        // The demo's OEM backend is a local http receiver on 127.0.0.1 (docs/events.md: https and
        // public addresses unless allowed; D-153, D-177).
        PNC_WEBHOOK_ALLOW_HTTP: '1',
        PNC_WEBHOOK_ALLOW_PRIVATE: '1',
      },
    });
    app = await createApp({
      config,
      clock,
      random: cryptoRandom,
      logDestination: { write: () => undefined },
    });
    const url = await app.listen();
    p.ok(`server listening on ${url} (embedded SQLite, software key store)`);

    await initDemoHierarchy(
      app.ca,
      { iso: [iso], organization: 'PnC Demo', country: 'DE', actor: 'pnc demo' },
      () => clock.now(),
    );
    await publishDemoRoots(app.rcp, app.ca, {
      iso: [iso],
      actor: 'pnc demo',
      organization: 'PnC Demo',
      country: 'DE',
      now: () => clock.now(),
    });
    p.ok(
      `PKI: demo hierarchy of ISO 15118-${iso} (V2G root; MO, OEM, CPO, CPS sub-CAs; CPS signer), root in the RCP`,
    );
    if (iso === 20) {
      await addVehicleSubCas(app.ca, await findDemoCa(app, 20, 'root'), 'pnc demo');
      p.ok(
        'PKI: Vehicle Sub-CA 1 and 2 of ISO 15118-20 under the V2G root (vehicle certificates, mutual TLS)',
      );
    }

    const oem = await apiClient(app, url, clock, 'OEM', DEMO_WMI);
    const mo = await apiClient(app, url, clock, 'MO', DEMO_PROVIDER);
    const cpo = await apiClient(app, url, clock, 'CPO', DEMO_OPERATOR);
    p.ok(
      `API clients: OEM (WMI ${DEMO_WMI}), MO (provider ${DEMO_PROVIDER}), CPO (operator ${DEMO_OPERATOR}), tokens by POST /oauth/token`,
    );

    receiver = await startWebhookReceiver(clock);
    const endpoint = await oem.request<{ id: string; secret: string }>({
      method: 'POST',
      path: '/v1/webhook/endpoints',
      body: { url: receiver.url, enabledEvents: ['oem.contract.created'], wmis: [DEMO_WMI] },
    });
    receiver.setSecret(endpoint.body.secret);
    p.ok(`OEM: webhook endpoint ${receiver.url} for oem.contract.created (POST /v1/webhook/endpoints)`);

    let vehicle = await buildVehicle(app, iso, pcid);
    await oem.request({
      method: 'PUT',
      path: '/v1/oem/provCerts',
      body: provisioningBody(vehicle.provisioningChain, iso),
    });
    p.ok(`OEM: vehicle ${pcid} published with its provisioning certificate (PUT /v1/oem/provCerts)`);

    const begins = clock.now();
    await mo.request({
      method: 'PUT',
      path: '/v1/cps/generate/signedContractData',
      body: {
        contractBegins: begins.toISOString(),
        contractEnds: new Date(begins.getTime() + 365 * 86_400_000).toISOString(),
        emaid,
        pcid,
        xsdMsgDefNamespace: msgDefNamespaceFor(iso, 'opcp'),
      },
    });
    p.ok(
      `MO: contract ${emaid} generated and signed by the CPS (ISO 15118-${iso}), stored in the CCP (PUT /v1/cps/generate/signedContractData)`,
    );

    try {
      const eventId = await waitForWebhook(
        app,
        receiver,
        endpoint.body.id,
        emaid,
        clock,
        options.webhookWaitMs ?? 30_000,
      );
      p.ok(`OEM webhook: oem.contract.created received (event ${eventId}), HMAC signature verified`);
    } catch (error) {
      if (!(error instanceof StepFailed)) throw error;
      p.fail('OEM webhook', error.message);
    }

    if (iso === 20) {
      const tls = await enrollVehicleCertificate({
        baseUrl: url,
        token: await oem.token(),
        commonName: pcid,
      });
      vehicle = { ...vehicle, tls };
      p.ok(
        `OEM: vehicle certificate ${pcid} (TLS client, Vehicle Sub-CA 2) by EST simpleenroll (POST /.well-known/est/veh/…, OEM token)`,
      );
    }

    const cpoToken = await cpo.token();
    const secc = await enrollSecc({
      baseUrl: url,
      token: cpoToken,
      iso,
      commonName: DEMO_EVSE_ID,
      organization: 'PnC Demo CPO',
      country: 'DE',
    });
    p.ok(
      `Charger: SECC certificate ${DEMO_EVSE_ID} by EST simpleenroll (POST /.well-known/est/…, CPO token)`,
    );
    const root = vehicle.v2gRoots[0] as Uint8Array;
    charger = await startCharger({
      iso,
      platformUrl: url,
      cpoToken,
      clock,
      random: cryptoRandom,
      evseId: DEMO_EVSE_ID,
      secc: { key: secc.key, chain: secc.chain },
      contractRoots: [root],
      // -20: the vehicle certificate leads to the same V2G root (Vehicle Sub-CA 1 under it).
      vehicleRoots: [root],
    });
    p.ok(
      `Charger: listening on ${charger.server.host}:${charger.server.port} (ISO 15118-${iso}, ${iso === 2 ? 'TLS 1.2' : 'TLS 1.3, mutual authentication'})`,
    );

    const car = makeCar({
      iso,
      identity: vehicle,
      // The -20 store lives beside the -2 one, as `pnc ev` keeps it (D-167).
      dir: iso === 2 ? join(dataDir, 'car') : join(dataDir, 'car', 'iso-20'),
      clock,
      tlsRoots: [root],
      tlsAt: clock.now(),
      onEvent: (e) => p.info(`car → charger  ${e.request.padEnd(27)} ${e.responseCode}`),
    });
    // -20: one contract is installed (the CCP holds one for this vehicle); the SECC chose DC or AC.
    const result =
      iso === 2
        ? { ...(await car.plugIn(charger)), protocol: undefined }
        : await car.plugIn20(charger).then((r) => ({ ...r, installed: r.installed[0] }));
    const norm = (s: string | undefined) => (s ?? '').replace(/[-*]/g, '').toUpperCase().slice(0, 14);
    if (norm(result.installed?.emaid) !== norm(emaid)) {
      throw new StepFailed(`the car installed ${String(result.installed?.emaid)}, not ${emaid}`);
    }
    const material = car.contracts.load(result.emaid);
    const leaf = new X509Certificate(material.chain[0] as Uint8Array);
    if (!leaf.checkPrivateKey(material.key))
      throw new StepFailed('the decrypted contract key does not match');
    p.ok(
      `Car: contract installed through the CCP; the decrypted contract key matches certificate ${leaf.subject.replace(/\n/g, ', ')}`,
    );
    p.ok(
      iso === 2
        ? `Car: authorized with contract ${result.emaid} at ${result.evseId} (OCSP good, signed AuthorizationReq, ${result.evseProcessing})`
        : `Car: authorized with contract ${result.emaid} at ${result.evseId} (${result.protocol}, PnC, signed AuthorizationReq, OCSP good, ${result.evseProcessing})`,
    );
    if (failed.length === 0) {
      out.write(
        `✔ Plug & Charge journey complete: vehicle ${pcid} charged with contract ${emaid} (ISO 15118-${iso})\n`,
      );
    }
    return await finish();
  } catch (error) {
    p.fail('journey', reasonOf(error));
    return await finish();
  }

  async function finish(): Promise<DemoResult> {
    await charger?.close().catch(() => undefined);
    await receiver?.close().catch(() => undefined);
    await app?.close().catch(() => undefined);
    if (failed.length > 0) {
      out.write(`✘ Plug & Charge journey failed: ${failed.join(', ')}\n`);
    }
    if (options.keep) {
      const file = join(dataDir, 'demo-passphrase');
      await writeFile(file, `${passphrase}\n`, { mode: 0o600 });
      await chmod(file, 0o600);
      p.info(`kept ${dataDir}; its key store passphrase is in ${file} (mode 0600):`);
      p.info(`PNC_KEY_PASSPHRASE="$(cat ${file})" pnc serve --data-dir ${dataDir}`);
    } else {
      await rm(dataDir, { recursive: true, force: true });
    }
    return { ok: failed.length === 0, dataDir, pcid, emaid, failed };
  }
}
