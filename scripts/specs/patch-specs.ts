// Patched copies of the OPCP 1.0.0 and OPNC 1.0 OpenAPI documents for spec-driven test tooling
// (prism proxy, test/contract). Both specs fail OpenAPI / JSON Schema validation (spec-gaps.md,
// summary: "Spec-driven test tooling must run on patched copies"); this script patches ONLY the
// defects listed in ../shared/docs/spec-gaps.md, one small named function per defect citing its item,
// and writes the copies into a directory (default: a new temporary directory). Nothing is copied
// into this repository. docs/openapi.md; decisions D-081, D-082.
//
//   node scripts/specs/patch-specs.ts [--out DIR] [--server-url URL] [--shared DIR] [--json]
//
// Input: $PNC_SHARED_DIR or ../shared (src/testing/shared-data.ts): specs/opcp-1.0.0/reference/*.json
// and specs/opnc-1.0/specification/{apis,components}/**/*.json. Output: the same relative layout under
// DIR (so the OPNC files' relative $refs keep working). A summary of the applied patches is printed.

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { sharedDir } from '../../src/testing/shared-data.ts';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Spec files by path relative to `<shared>/specs` (forward slashes). */
export type SpecFiles = Map<string, Json>;

export const OPCP_DIR = 'opcp-1.0.0/reference';
export const OPNC_DIR = 'opnc-1.0/specification';

/** One change: the value at `pointer` (RFC 6901) in `file` went from `before` to `after` (undefined = absent). */
export interface Change {
  readonly file: string;
  readonly pointer: string;
  readonly before: Json | undefined;
  readonly after: Json | undefined;
}

export interface PatchContext {
  readonly serverUrl: string;
  /** Sets (or, with undefined, removes) the value at a pointer, recording the change. */
  set(file: string, pointer: string, value: Json | undefined): void;
}

export interface SpecPatch {
  readonly name: string;
  /** The spec-gaps.md item ("summary" for the defects named in its summary only). */
  readonly item: number | 'summary';
  readonly description: string;
  apply(files: SpecFiles, ctx: PatchContext): void;
}

// ---------------------------------------------------------------------------------------------
// JSON pointer helpers

export function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

function unescapePointer(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

export function pointerOf(...keys: (string | number)[]): string {
  return keys.map((k) => `/${escapePointer(String(k))}`).join('');
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function getAt(doc: Json, pointer: string): Json | undefined {
  if (pointer === '') return doc;
  let node: Json | undefined = doc;
  for (const token of pointer.slice(1).split('/').map(unescapePointer)) {
    if (Array.isArray(node)) node = node[Number(token)];
    else if (isObject(node)) node = Object.hasOwn(node, token) ? node[token] : undefined;
    else return undefined;
  }
  return node;
}

/** Sets or removes (value undefined) the member at a pointer; the parent must exist. */
export function setAt(doc: Json, pointer: string, value: Json | undefined): void {
  const tokens = pointer.slice(1).split('/').map(unescapePointer);
  const last = tokens.pop();
  if (last === undefined) throw new Error('cannot replace the document root');
  const parent = getAt(doc, tokens.map((t) => `/${escapePointer(t)}`).join(''));
  if (Array.isArray(parent)) {
    const index = Number(last);
    if (value === undefined) parent.splice(index, 1);
    else parent[index] = value;
  } else if (isObject(parent)) {
    if (value === undefined) delete parent[last];
    else parent[last] = value;
  } else {
    throw new Error(`no parent object at ${pointer}`);
  }
}

/** Every object node of a document with its pointer and the key under which it sits. */
function* objects(doc: Json, pointer = '', key = ''): Generator<[JsonObject, string, string]> {
  if (Array.isArray(doc)) {
    for (let i = 0; i < doc.length; i++) yield* objects(doc[i] as Json, `${pointer}/${i}`, String(i));
  } else if (isObject(doc)) {
    yield [doc, pointer, key];
    for (const [k, v] of Object.entries(doc)) yield* objects(v, `${pointer}/${escapePointer(k)}`, k);
  }
}

function parentPointer(pointer: string): string {
  return pointer.slice(0, pointer.lastIndexOf('/'));
}

function lastKey(pointer: string): string {
  return unescapePointer(pointer.slice(pointer.lastIndexOf('/') + 1));
}

function compilesUnicode(pattern: string): boolean {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

function filesUnder(files: SpecFiles, prefix: string): [string, Json][] {
  return [...files].filter(([name]) => name.startsWith(prefix));
}

// ---------------------------------------------------------------------------------------------
// The patches

const UUID_PATTERN_LOOSE = '^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$';
const isUuidPattern = (p: Json | undefined) =>
  typeof p === 'string' && p.replace(/\\-/g, '-') === UUID_PATTERN_LOOSE;
/** spec-gaps.md item 7: "Accept 64-hex SHA-256 (optionally colon-separated)". */
export const FINGERPRINT_PATTERN = '^([0-9a-fA-F]{64}|([0-9a-fA-F]{2}:){31}[0-9a-fA-F]{2})$';

/** Item 7: fingerprint fields carry the UUID regex (or, in LookupContractResponse, the DN one). */
export const item7FingerprintPattern: SpecPatch = {
  name: 'item7FingerprintPattern',
  item: 7,
  description:
    'cpsV2GRootCertificateFingerprint (and other *Fingerprint fields) get the SHA-256 hex pattern instead of the UUID / DN pattern; the swapped DN field of LookupContractResponse gets the DN pattern back',
  apply(files, ctx) {
    for (const [file, doc] of files) {
      for (const [node, pointer, key] of objects(doc)) {
        const pattern = node.pattern;
        if (typeof pattern !== 'string') continue;
        // A schema property (…/properties/<name>) or a parameter's schema (name on the parameter).
        const parent = getAt(doc, parentPointer(pointer));
        const name =
          key === 'schema' && isObject(parent) && typeof parent.name === 'string'
            ? parent.name
            : lastKey(parentPointer(pointer)) === 'properties'
              ? key
              : '';
        if (/fingerprint/i.test(name) && pattern !== FINGERPRINT_PATTERN && !/\{64\}/.test(pattern)) {
          ctx.set(file, `${pointer}/pattern`, FINGERPRINT_PATTERN);
        } else if (/(DN|DistinguishedName)$/.test(name) && isUuidPattern(pattern)) {
          // The fingerprint sibling carries the DN pattern that belongs here (swapped).
          const sibling = getAt(doc, `${parentPointer(pointer)}/cpsV2GRootCertificateFingerprint/pattern`);
          if (typeof sibling === 'string' && /CN\|/.test(sibling))
            ctx.set(file, `${pointer}/pattern`, sibling);
        }
      }
    }
  },
};

/** Item 8: `\-` outside a character class is an invalid escape under the JS `u` flag. */
export const item8UuidRegex: SpecPatch = {
  name: 'item8UuidRegex',
  item: 8,
  description: 'patterns with `\\-` outside a character class (invalid under the `u` flag) get a plain `-`',
  apply(files, ctx) {
    for (const [file, doc] of files) {
      for (const [node, pointer] of objects(doc)) {
        const pattern = node.pattern;
        if (typeof pattern !== 'string' || compilesUnicode(pattern) || !pattern.includes('\\-')) continue;
        let out = '';
        let inClass = false;
        for (let i = 0; i < pattern.length; i++) {
          const c = pattern[i];
          if (c === '\\') {
            const next = pattern[i + 1] ?? '';
            out += !inClass && next === '-' ? '-' : `\\${next}`;
            i++;
            continue;
          }
          if (c === '[') inClass = true;
          else if (c === ']') inClass = false;
          out += c;
        }
        if (compilesUnicode(out)) ctx.set(file, `${pointer}/pattern`, out);
      }
    }
  },
};

/**
 * Item 6: RootCertV2 / rootCertificate.v1 `maxProperties: 1` (while requiring two properties); OPNC's
 * rootTypeList / rootCtlList put the enum on the array instead of its items; `required: [rootType]`
 * names a property the OPNC schema does not define.
 */
export const item6RootObject: SpecPatch = {
  name: 'item6RootObject',
  item: 6,
  description:
    'drop maxProperties 1 on objects with several properties; OPNC rootTypeList / rootCtlList: enum moved into items; OPNC: rootType dropped from required (no such property)',
  apply(files, ctx) {
    for (const [file, doc] of files) {
      for (const [node, pointer] of objects(doc)) {
        const properties = node.properties;
        if (node.maxProperties === 1 && isObject(properties) && Object.keys(properties).length > 1) {
          ctx.set(file, `${pointer}/maxProperties`, undefined);
        }
        if (node.type === 'array' && Array.isArray(node.enum) && node.items === undefined) {
          ctx.set(file, `${pointer}/items`, { type: 'string', enum: node.enum });
          ctx.set(file, `${pointer}/enum`, undefined);
        }
        const required = node.required;
        if (
          Array.isArray(required) &&
          isObject(properties) &&
          required.includes('rootType') &&
          !Object.hasOwn(properties, 'rootType')
        ) {
          ctx.set(
            file,
            `${pointer}/required`,
            required.filter((r) => r !== 'rootType'),
          );
        }
      }
    }
  },
};

/** Item 16: `maxLength: 800` on base64 certificates (the ISO limits are 800 / 1600 bytes of DER). */
export const item16CertificateMaxLength: SpecPatch = {
  name: 'item16CertificateMaxLength',
  item: 16,
  description:
    'maxLength 800 dropped on base64 certificate strings (the limit is on the DER: 800 bytes -2, 1600 bytes -20; the server enforces it)',
  apply(files, ctx) {
    for (const [file, doc] of files) {
      for (const [node, pointer, key] of objects(doc)) {
        if (node.maxLength === 800 && /cert/i.test(key)) ctx.set(file, `${pointer}/maxLength`, undefined);
      }
    }
  },
};

/** Item 17: certificateChain.v1 `subCa2Certificate` has `"required": false` inside the property. */
export const item17RequiredFalse: SpecPatch = {
  name: 'item17RequiredFalse',
  item: 17,
  description: 'boolean `required` inside a schema property removed (the property is optional)',
  apply(files, ctx) {
    for (const [file, doc] of files) {
      for (const [node, pointer] of objects(doc)) {
        if (typeof node.required !== 'boolean') continue;
        if (lastKey(parentPointer(pointer)) !== 'properties') continue;
        ctx.set(file, `${pointer}/required`, undefined);
      }
    }
  },
};

/** Item 1: OPNC paths that repeat the server's prefix (`/pki/pki/revokeCertificate`, event). */
export const item1DuplicatedPrefixes: SpecPatch = {
  name: 'item1DuplicatedPrefixes',
  item: 1,
  description:
    'OPNC path keys that repeat the server prefix (/pki/revokeCertificate under /opnc/v1/pki, /opnc/v1/event/… under /opnc/v1/event) lose the repeated part',
  apply(files, ctx) {
    for (const [file, doc] of filesUnder(files, `${OPNC_DIR}/apis/`)) {
      if (!isObject(doc) || !isObject(doc.paths) || !Array.isArray(doc.servers)) continue;
      const server = doc.servers[0];
      if (!isObject(server) || typeof server.url !== 'string') continue;
      const base = new URL(server.url).pathname.replace(/\/$/, ''); // /opnc/v1/pki
      const lastSegment = base.slice(base.lastIndexOf('/')); // /pki
      for (const [path, item] of Object.entries(doc.paths)) {
        let stripped: string | undefined;
        if (path.startsWith(`${base}/`)) stripped = path.slice(base.length);
        else if (path.startsWith(`${lastSegment}/`)) stripped = path.slice(lastSegment.length);
        if (stripped === undefined || Object.hasOwn(doc.paths, stripped)) continue;
        ctx.set(file, pointerOf('paths', path), undefined);
        ctx.set(file, pointerOf('paths', stripped), item);
      }
    }
  },
};

/**
 * Item 2: OPCP est.v1.json declares its `{iso-version}` / `{algorithm}` path parameters optional
 * (path parameters must be required) — they are optional segments: the patch makes them required
 * and adds the path forms without them. OPNC declares an `algorithm` path parameter absent from
 * its path: removed.
 */
export const item2EstPaths: SpecPatch = {
  name: 'item2EstPaths',
  item: 2,
  description:
    'OPCP EST: path parameters required, plus the path forms without the optional trailing segments; OPNC EST: the `algorithm` path parameter absent from the path removed',
  apply(files, ctx) {
    const opcp = `${OPCP_DIR}/est.v1.json`;
    const doc = files.get(opcp);
    if (isObject(doc) && isObject(doc.paths)) {
      for (const [path, item] of Object.entries(doc.paths)) {
        if (!isObject(item) || !Array.isArray(item.parameters)) continue;
        const optional: string[] = [];
        item.parameters.forEach((p, i) => {
          if (isObject(p) && p.in === 'path' && p.required !== true) {
            ctx.set(opcp, pointerOf('paths', path, 'parameters', i, 'required'), true);
            if (typeof p.name === 'string') optional.push(p.name);
          }
        });
        // Drop the optional segments from the end: /{ca}/cacerts/{iso-version}/{algorithm}/ →
        // /{ca}/cacerts/{iso-version} → /{ca}/cacerts.
        let shorter = path.replace(/\/$/, '');
        const dropped: string[] = [];
        for (;;) {
          const m = /\/\{([^}]+)\}$/.exec(shorter);
          if (m === null || !optional.includes(m[1] as string)) break;
          dropped.push(m[1] as string);
          shorter = shorter.slice(0, m.index);
          if (Object.hasOwn(doc.paths, shorter)) continue;
          const copy = structuredClone(getAt(doc, pointerOf('paths', path))) as JsonObject;
          copy.parameters = (copy.parameters as Json[])
            .filter((p) => !(isObject(p) && p.in === 'path' && dropped.includes(p.name as string)))
            .map((p) => (isObject(p) && p.in === 'path' ? { ...p, required: true } : p));
          for (const method of HTTP_METHODS) {
            const op = copy[method];
            if (isObject(op) && typeof op.operationId === 'string')
              op.operationId = `${op.operationId}-${dropped.length}`;
          }
          ctx.set(opcp, pointerOf('paths', shorter), copy);
        }
      }
    }
    for (const [file, pathItem] of filesUnder(files, `${OPNC_DIR}/apis/pki/`)) {
      if (!isObject(pathItem)) continue;
      for (const method of HTTP_METHODS) {
        const op = pathItem[method];
        if (!isObject(op) || !Array.isArray(op.parameters)) continue;
        // From the end, so the indices of the earlier parameters stay valid.
        for (let i = op.parameters.length - 1; i >= 0; i--) {
          const p = op.parameters[i];
          if (isObject(p) && p.in === 'path' && p.name === 'algorithm') {
            ctx.set(file, pointerOf(method, 'parameters', i), undefined);
          }
        }
      }
    }
  },
};

const EST_MEDIA_TYPE = 'application/pkcs7-mime';

/**
 * Item 36: cacerts requires a request header `Content-Transfer-Encoding: application/pkcs10` and
 * answers `application/pkcs10` / `application/pkcs7`; the resolution is to ignore the header and
 * answer `application/pkcs7-mime; smime-type=certs-only` (RFC 7030 §4.1.3, what clients parse).
 * The EST 200 responses (cacerts and simpleenroll, whose own header description already says
 * application/pkcs7-mime) get that media type (D-082).
 */
export const item36EstMediaTypes: SpecPatch = {
  name: 'item36EstMediaTypes',
  item: 36,
  description:
    'EST: the required Content-Transfer-Encoding request header dropped; application/pkcs7-mime added to the 200 responses',
  apply(files, ctx) {
    const targets: [string, string][] = [];
    const opcp = files.get(`${OPCP_DIR}/est.v1.json`);
    if (isObject(opcp) && isObject(opcp.paths)) {
      for (const [path, item] of Object.entries(opcp.paths)) {
        if (!isObject(item)) continue;
        for (const method of HTTP_METHODS)
          if (isObject(item[method]))
            targets.push([`${OPCP_DIR}/est.v1.json`, pointerOf('paths', path, method)]);
      }
    }
    for (const [file, item] of filesUnder(files, `${OPNC_DIR}/apis/pki/pki.api.v1.`)) {
      if (!/simpleenroll|cacerts/.test(file) || !isObject(item)) continue;
      for (const method of HTTP_METHODS) if (isObject(item[method])) targets.push([file, pointerOf(method)]);
    }
    for (const [file, opPointer] of targets) {
      const doc = files.get(file) as Json;
      const op = getAt(doc, opPointer);
      if (!isObject(op)) continue;
      if (Array.isArray(op.parameters)) {
        for (let i = op.parameters.length - 1; i >= 0; i--) {
          const p = op.parameters[i];
          if (
            isObject(p) &&
            p.in === 'header' &&
            String(p.name).toLowerCase() === 'content-transfer-encoding'
          )
            ctx.set(file, `${opPointer}/parameters/${i}`, undefined);
        }
      }
      const content = getAt(doc, `${opPointer}/responses/200/content`);
      if (isObject(content) && !Object.hasOwn(content, EST_MEDIA_TYPE)) {
        ctx.set(file, `${opPointer}/responses/200/content/${escapePointer(EST_MEDIA_TYPE)}`, {
          schema: { type: 'string', description: 'base64 of a certs-only PKCS #7 (RFC 7030 §4.1.3)' },
        });
      }
    }
  },
};

/**
 * Item 18: "404 examples on CCP violate the 200 schema": the 404 of POST /v1/ccp/signedContractData
 * has an error-body example (`Contract or Vehicle not found.`) under a schema that requires
 * CCPResponse. The resolution is the OPCP error body everywhere: such a response schema becomes
 * anyOf [Error, the documented schema].
 */
export const item18ErrorExamples: SpecPatch = {
  name: 'item18ErrorExamples',
  item: 18,
  description:
    'JSON error responses whose examples are OPCP error bodies but whose schema does not admit one: schema = anyOf [Error, schema]',
  apply(files, ctx) {
    for (const [file, doc] of files) {
      if (!isObject(doc) || !isObject(doc.paths)) continue;
      const components = isObject(doc.components) ? doc.components : {};
      const schemas = isObject(components.schemas) ? components.schemas : {};
      if (!Object.hasOwn(schemas, 'Error')) continue;
      for (const [node, pointer] of objects(doc.paths, '/paths')) {
        if (!/\/responses\/[45]\d\d\/content\/application~1json$/.test(pointer)) continue;
        const schema = node.schema;
        const examples = isObject(node.examples) ? Object.values(node.examples) : [];
        const errorExample = examples.some(
          (e) => isObject(e) && isObject(e.value) && 'errorMessages' in e.value,
        );
        if (!isObject(schema) || !errorExample || typeof schema.$ref === 'string') continue;
        const props = isObject(schema.properties) ? schema.properties : {};
        if (Object.hasOwn(props, 'errorMessages') || Array.isArray(schema.anyOf)) continue;
        ctx.set(file, `${pointer}/schema`, { anyOf: [{ $ref: '#/components/schemas/Error' }, schema] });
      }
    }
  },
};

/** spec-gaps.md summary: the OPCP documents have `servers: []`. */
export const emptyServers: SpecPatch = {
  name: 'emptyServers',
  item: 'summary',
  description: 'empty `servers` replaced by our server URL',
  apply(files, ctx) {
    for (const [file, doc] of files) {
      if (isObject(doc) && Array.isArray(doc.servers) && doc.servers.length === 0)
        ctx.set(file, '/servers', [{ url: ctx.serverUrl }]);
    }
  },
};

/** spec-gaps.md summary: `security` names schemes no document defines (OPNC CCP: MO, OEM). */
export const missingSecuritySchemes: SpecPatch = {
  name: 'missingSecuritySchemes',
  item: 'summary',
  description:
    'security schemes referenced by `security` but undefined are added to the root document (HTTP bearer, our OAuth tokens)',
  apply(files, ctx) {
    // A root document (has `openapi`) and the path item files it references.
    for (const [file, doc] of files) {
      if (!isObject(doc) || typeof doc.openapi !== 'string' || !isObject(doc.paths)) continue;
      const sources: Json[] = [doc];
      for (const item of Object.values(doc.paths)) {
        if (isObject(item) && typeof item.$ref === 'string') {
          const target = join(dirname(file), item.$ref).replaceAll('\\', '/');
          const ref = files.get(target);
          if (ref !== undefined) sources.push(ref);
        }
      }
      const used = new Set<string>();
      for (const source of sources) {
        for (const [node] of objects(source)) {
          if (!Array.isArray(node.security)) continue;
          for (const requirement of node.security)
            if (isObject(requirement)) for (const name of Object.keys(requirement)) used.add(name);
        }
      }
      const components = isObject(doc.components) ? doc.components : undefined;
      const defined = isObject(components?.securitySchemes) ? components.securitySchemes : undefined;
      const missing = [...used]
        .sort()
        .filter((name) => defined === undefined || !Object.hasOwn(defined, name));
      if (missing.length === 0) continue;
      const schemeFor = (name: string): Json => ({
        type: 'http',
        scheme: 'bearer',
        description: `${name}: undefined in the spec (added; our OAuth access tokens)`,
      });
      const schemes = Object.fromEntries(missing.map((name) => [name, schemeFor(name)]));
      // Set the smallest node that does not exist yet.
      if (defined !== undefined) {
        for (const name of missing)
          ctx.set(file, pointerOf('components', 'securitySchemes', name), schemeFor(name));
      } else if (components !== undefined) ctx.set(file, '/components/securitySchemes', schemes);
      else ctx.set(file, '/components', { securitySchemes: schemes });
    }
  },
};

/** Every patch, in the order they are applied (7 before 8: 7 recognises the original UUID regex). */
export const SPEC_PATCHES: readonly SpecPatch[] = [
  emptyServers,
  missingSecuritySchemes,
  item1DuplicatedPrefixes,
  item2EstPaths,
  item6RootObject,
  item7FingerprintPattern,
  item8UuidRegex,
  item16CertificateMaxLength,
  item17RequiredFalse,
  item18ErrorExamples,
  item36EstMediaTypes,
];

// ---------------------------------------------------------------------------------------------
// Loading, patching, writing

function jsonFilesUnder(root: string, dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(root, dir)).sort()) {
    const rel = `${dir}/${name}`;
    if (statSync(join(root, rel)).isDirectory()) out.push(...jsonFilesUnder(root, rel));
    else if (name.endsWith('.json')) out.push(rel);
  }
  return out;
}

/** The spec files from `<shared>/specs`: OPCP reference/*.json, OPNC apis/** and components/**. */
export function loadSpecs(shared: string = sharedDir()): SpecFiles {
  const root = join(shared, 'specs');
  const files: SpecFiles = new Map();
  for (const rel of [
    ...jsonFilesUnder(root, OPCP_DIR),
    ...jsonFilesUnder(root, `${OPNC_DIR}/apis`),
    ...jsonFilesUnder(root, `${OPNC_DIR}/components`),
  ]) {
    files.set(rel, JSON.parse(readFileSync(join(root, rel), 'utf8')) as Json);
  }
  return files;
}

export interface AppliedPatch {
  readonly patch: SpecPatch;
  readonly changes: readonly Change[];
}

export interface PatchOptions {
  readonly serverUrl?: string;
  /** Apply only these (default SPEC_PATCHES). */
  readonly patches?: readonly SpecPatch[];
}

/** Applies the patches to a deep copy of `files`. */
export function patchSpecs(
  files: SpecFiles,
  options: PatchOptions = {},
): { files: SpecFiles; applied: AppliedPatch[] } {
  const out: SpecFiles = new Map([...files].map(([name, doc]) => [name, structuredClone(doc)]));
  const applied: AppliedPatch[] = [];
  for (const patch of options.patches ?? SPEC_PATCHES) {
    const changes: Change[] = [];
    const ctx: PatchContext = {
      serverUrl: options.serverUrl ?? 'http://127.0.0.1:8080',
      set(file, pointer, value) {
        const doc = out.get(file);
        if (doc === undefined) throw new Error(`${patch.name}: no file ${file}`);
        const before = getAt(doc, pointer);
        setAt(doc, pointer, value === undefined ? undefined : structuredClone(value));
        changes.push({
          file,
          pointer,
          before: before === undefined ? undefined : structuredClone(before),
          after: value === undefined ? undefined : structuredClone(value),
        });
      },
    };
    patch.apply(out, ctx);
    applied.push({ patch, changes });
  }
  return { files: out, applied };
}

/** Writes the files under `dir` with their relative layout; returns dir. */
export function writeSpecs(files: SpecFiles, dir: string): string {
  for (const [rel, doc] of files) {
    const path = join(dir, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${JSON.stringify(doc, null, 2)}\n`);
  }
  return dir;
}

/** Loads, patches and writes; the entry point of tests and of the CLI below. */
export function writePatchedSpecs(options: { out?: string; serverUrl?: string; shared?: string } = {}): {
  dir: string;
  applied: AppliedPatch[];
} {
  const { files, applied } = patchSpecs(loadSpecs(options.shared), {
    ...(options.serverUrl === undefined ? {} : { serverUrl: options.serverUrl }),
  });
  const dir = options.out ?? mkdtempSync(join(tmpdir(), 'pnc-specs-'));
  writeSpecs(files, dir);
  return { dir, applied };
}

/** Path of a patched OPCP reference file or OPNC api file inside `dir`. */
export function patchedSpecPath(dir: string, rel: string): string {
  return join(dir, rel);
}

export function summary(applied: readonly AppliedPatch[], dir?: string): string {
  const lines: string[] = [];
  if (dir !== undefined) lines.push(`patched specs written to ${dir}`);
  for (const { patch, changes } of applied) {
    const item = patch.item === 'summary' ? 'spec-gaps summary' : `spec-gaps item ${patch.item}`;
    lines.push(`${patch.name} (${item}): ${changes.length} change(s) — ${patch.description}`);
    for (const c of changes) lines.push(`  ${c.file}#${c.pointer}`);
  }
  return lines.join('\n');
}

function main(argv: readonly string[]): number {
  const options: { out?: string; serverUrl?: string; shared?: string } = {};
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--out') options.out = value();
    else if (arg === '--server-url') options.serverUrl = value();
    else if (arg === '--shared') options.shared = value();
    else if (arg === '--json') json = true;
    else {
      process.stderr.write(
        'usage: node scripts/specs/patch-specs.ts [--out DIR] [--server-url URL] [--shared DIR] [--json]\n',
      );
      return 2;
    }
  }
  const { dir, applied } = writePatchedSpecs(options);
  if (json) {
    const rows = applied.map(({ patch, changes }) => ({
      patch: patch.name,
      item: patch.item,
      changes: changes.map((c) => `${c.file}#${c.pointer}`),
    }));
    process.stdout.write(`${JSON.stringify({ dir, patches: rows }, null, 2)}\n`);
  } else {
    process.stdout.write(`${summary(applied, dir)}\n`);
  }
  return 0;
}

if (import.meta.main) {
  process.exitCode = main(process.argv.slice(2));
}
