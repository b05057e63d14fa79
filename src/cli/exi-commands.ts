// `pnc exi decode|encode|verify|check`: the EXI codec and V2G signatures on the command line.
// Other tools and tests drive these commands, so their options and output formats are stable.

import { readFile } from 'node:fs/promises';
import { AppError } from '../errors/app-error.ts';
import { appError } from '../errors/catalogue.ts';
import {
  type AnyDecoded,
  decodeExiDocument,
  decodeExiFragment,
  encodeExiDocument,
  encodeExiFragment,
  isCodecError,
  SCHEMA_IDS,
  schemaSet,
} from '../exi/codec.ts';
import type { FacetPolicy } from '../exi/runtime/values.ts';
import { checkVectors, parseVectorLines } from '../exi/vector-check.ts';
import { elementToXmlString, xmlToElement } from '../exi/xml-model.ts';
import { verifyIso20Message, verifyV2gMessage } from '../xmldsig/v2g-signature.ts';
import { readCertificateFile } from './certificate-files.ts';
import { defineCommand } from './registry.ts';
import { isXmlError } from './xml-errors.ts';

const SCHEMA_HELP = `one of ${SCHEMA_IDS.join(', ')}`;

/** Maps codec and XML errors to the AppError codes of docs/errors.md. */
function asAppError(e: unknown): unknown {
  if (isCodecError(e)) return new AppError('Codec', `exi.${e.reason}`, e.message);
  if (isXmlError(e)) return new AppError('Malformed', e.code, e.message);
  return e;
}

async function guard<T>(f: () => Promise<T> | T): Promise<T> {
  try {
    return await f();
  } catch (e) {
    throw asAppError(e);
  }
}

function requireSchema(value: unknown): (typeof SCHEMA_IDS)[number] {
  if (typeof value !== 'string') throw appError('cli.usage', `--schema is required: ${SCHEMA_HELP}`);
  if (!(SCHEMA_IDS as readonly string[]).includes(value)) {
    throw appError('cli.usage', `schema '${value}' is unknown: ${SCHEMA_HELP}`);
  }
  return value as (typeof SCHEMA_IDS)[number];
}

/** An EXI stream from stdin: base64 (default), hex, or raw bytes when they start with the 0x80 header. */
export function parseExiInput(input: Uint8Array, format: string | undefined): Uint8Array {
  if (format === undefined && input.length > 0 && input[0] === 0x80) return input;
  const text = Buffer.from(input).toString('latin1').replace(/\s+/g, '');
  if (format === 'hex') {
    if (!/^(?:[0-9a-fA-F]{2})*$/.test(text)) throw appError('cli.input', 'input is not hexadecimal');
    return new Uint8Array(Buffer.from(text, 'hex'));
  }
  if (format !== undefined && format !== 'base64')
    throw appError('cli.usage', `--format must be base64 or hex, not '${format}'`);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0)
    throw appError('cli.input', 'input is not base64');
  return new Uint8Array(Buffer.from(text, 'base64'));
}

function facetPolicy(lenient: boolean | undefined, warn: (m: string) => void): FacetPolicy {
  return lenient === true ? { lenient: true, warn: (m) => warn(`warning: ${m}\n`) } : { lenient: false };
}

const decodeCommand = defineCommand({
  path: ['exi', 'decode'],
  summary: 'Decode an EXI stream (stdin) to XML',
  usage:
    'Usage: pnc exi decode --schema S [--fragment] [--format base64|hex] [--lenient] [--indent] < stream',
  options: {
    schema: { type: 'string' },
    fragment: { type: 'boolean' },
    format: { type: 'string' },
    lenient: { type: 'boolean' },
    indent: { type: 'boolean' },
  },
  optionHelp: {
    schema: SCHEMA_HELP,
    fragment: 'the stream is an EXI fragment (signature input), not a document',
    format: 'input encoding: base64 (default) or hex; raw bytes starting with 0x80 are also accepted',
    lenient: 'accept values outside length/range facets (reported as warnings)',
    indent: 'indent the XML output',
  },
  async run({ values, readStdin, stdout, stderr }) {
    const schema = requireSchema(values.schema);
    const bytes = parseExiInput(await readStdin(), values.format);
    const facets = facetPolicy(values.lenient, (m) => stderr.write(m));
    const elements = await guard(() =>
      values.fragment === true
        ? decodeExiFragment(schema, bytes, { facets })
        : [decodeExiDocument(schema, bytes, { facets })],
    );
    const set = schemaSet(schema);
    for (const element of elements) {
      stdout.write(
        `${await guard(() => elementToXmlString(set, element, { facets, ...(values.indent === true ? { indent: true } : {}) }))}\n`,
      );
    }
    return 0;
  },
});

const encodeCommand = defineCommand({
  path: ['exi', 'encode'],
  summary: 'Encode XML (stdin) to an EXI stream, printed as base64',
  usage: 'Usage: pnc exi encode --schema S [--fragment] [--format base64|hex] [--lenient] < message.xml',
  options: {
    schema: { type: 'string' },
    fragment: { type: 'boolean' },
    format: { type: 'string' },
    lenient: { type: 'boolean' },
  },
  optionHelp: {
    schema: SCHEMA_HELP,
    fragment: 'encode the root element as an EXI fragment (what V2G signatures hash)',
    format: 'output encoding: base64 (default) or hex',
    lenient: 'accept values outside length/range facets (reported as warnings)',
  },
  async run({ values, readStdin, stdout, stderr }) {
    const schema = requireSchema(values.schema);
    if (values.format !== undefined && values.format !== 'base64' && values.format !== 'hex') {
      throw appError('cli.usage', `--format must be base64 or hex, not '${values.format}'`);
    }
    const xml = Buffer.from(await readStdin()).toString('utf8');
    const facets = facetPolicy(values.lenient, (m) => stderr.write(m));
    const fragment = values.fragment === true;
    const bytes = await guard(() => {
      const element = xmlToElement(schemaSet(schema), xml, {
        facets,
        kind: fragment ? 'fragment' : 'document',
      });
      return fragment
        ? encodeExiFragment(schema, [element], { facets })
        : encodeExiDocument(schema, element, { facets });
    });
    stdout.write(`${Buffer.from(bytes).toString(values.format === 'hex' ? 'hex' : 'base64')}\n`);
    return 0;
  },
});

const DIGEST_NAMES = {
  'ecdsa-p256-sha256': 'sha256',
  'ecdsa-p521-sha512': 'sha512',
  'ed448-shake256': 'shake256',
} as const;

const verifyCommand = defineCommand({
  path: ['exi', 'verify'],
  summary: 'Verify the signature of a signed V2G message (stdin)',
  usage:
    'Usage: pnc exi verify --schema iso-2|iso-20-common [--cert FILE] [--format base64|hex] [--json] < stream',
  options: {
    schema: { type: 'string' },
    cert: { type: 'string', multiple: true },
    format: { type: 'string' },
    json: { type: 'boolean' },
  },
  optionHelp: {
    schema: 'iso-2 (ECDSA P-256) or iso-20-common (ECDSA P-521 / Ed448)',
    cert: 'signer certificate(s), PEM or DER; default: the certificate the message carries (OEMProvisioningCert, leaf of SAProvisioningCertificateChain)',
    format: 'input encoding: base64 (default) or hex',
    json: 'print the report as JSON',
  },
  async run({ values, readStdin, stdout }) {
    const schema = requireSchema(values.schema);
    if (schema !== 'iso-2' && schema !== 'iso-20-common') {
      // ISO 15118-20 signed messages (AuthorizationReq, CertificateInstallationReq/Res) are all in
      // CommonMessages; SupportedAppProtocol and DIN 70121 messages are never signed (P19).
      throw appError('cli.usage', `signed messages are in iso-2 and iso-20-common, not '${schema}'`);
    }
    const bytes = parseExiInput(await readStdin(), values.format);
    const certificates = values.cert
      ? (await Promise.all(values.cert.map(readCertificateFile))).flat()
      : undefined;
    const decoded: AnyDecoded = await guard(() => decodeExiDocument(schema, bytes));
    const verify = schema === 'iso-2' ? verifyV2gMessage : verifyIso20Message;
    const report = await guard(() => verify(decoded, certificates ? { certificates } : {}));
    if (values.json === true) {
      const hex = (b: Uint8Array | undefined): string | undefined =>
        b ? Buffer.from(b).toString('hex') : undefined;
      stdout.write(
        `${JSON.stringify({
          ...report,
          references: report.references.map((r) => ({
            ...r,
            expected: hex(r.expected),
            computed: hex(r.computed),
          })),
        })}\n`,
      );
    } else {
      for (const r of report.references) {
        const digest = r.computed
          ? Buffer.from(r.computed).toString('hex')
          : Buffer.from(r.expected).toString('hex');
        stdout.write(
          `reference ${r.uri}${r.element ? ` (${r.element})` : ''}: ${r.status} ${DIGEST_NAMES[report.suite]}=${digest}\n`,
        );
      }
      for (const e of report.unreferenced)
        stdout.write(`not signed: ${e} (required for ${report.messageType})\n`);
      stdout.write(
        `signature: ${report.signature} [${report.suite}]${report.signer ? ` (${report.signer})` : ''}\n`,
      );
    }
    return report.valid ? 0 : 1;
  },
});

const checkCommand = defineCommand({
  path: ['exi', 'check'],
  summary: 'Run EXI test vectors (JSON Lines) through decode, XML comparison, re-encode and signatures',
  usage: 'Usage: pnc exi check FILE.jsonl...',
  options: {},
  async run({ positionals, stdout }) {
    if (positionals.length === 0) throw appError('cli.usage', 'give at least one vector file');
    const records = [];
    for (const file of positionals) {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (e) {
        throw appError('cli.input', `cannot read ${file}: ${(e as Error).message}`);
      }
      try {
        records.push(...parseVectorLines(text, file));
      } catch (e) {
        throw appError('cli.input', (e as Error).message);
      }
    }
    const summary = checkVectors(records);
    for (const r of summary.results) if (!r.ok) stdout.write(`FAIL ${r.id} (${r.schema}): ${r.failure}\n`);
    for (const [schema, s] of [...summary.bySchema].sort(([a], [b]) => (a < b ? -1 : 1))) {
      stdout.write(`${schema}: ${s.passed} passed, ${s.failed} failed\n`);
    }
    stdout.write(`${summary.passed} passed, ${summary.failed} failed\n`);
    return summary.failed === 0 ? 0 : 1;
  },
});

export const exiCommands = [decodeCommand, encodeCommand, verifyCommand, checkCommand];
