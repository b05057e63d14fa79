// The spec patch script on the real OPCP / OPNC documents from ../shared: each patch changes what it
// claims (its defect is gone afterwards) and nothing else (undoing its recorded changes gives back the
// original document, byte for byte as JSON), the patches are idempotent, and the written copies keep
// their relative $refs resolvable.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { hasShared, SHARED_SKIP } from '../../src/testing/shared-data.ts';
import {
  type Change,
  emptyServers,
  FINGERPRINT_PATTERN,
  getAt,
  item1DuplicatedPrefixes,
  item2EstPaths,
  item6RootObject,
  item7FingerprintPattern,
  item8UuidRegex,
  item16CertificateMaxLength,
  item17RequiredFalse,
  item18ErrorExamples,
  item36EstMediaTypes,
  type Json,
  loadSpecs,
  missingSecuritySchemes,
  OPCP_DIR,
  OPNC_DIR,
  patchSpecs,
  SPEC_PATCHES,
  type SpecFiles,
  type SpecPatch,
  setAt,
  summary,
  writePatchedSpecs,
} from './patch-specs.ts';

const skip = hasShared('specs', 'opcp-1.0.0') && hasShared('specs', 'opnc-1.0') ? false : SHARED_SKIP;
if (skip !== false) console.log(`patch-specs: ${skip}`);

type Obj = { [key: string]: Json };
const isObj = (v: Json | undefined): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function* nodes(doc: Json, pointer = '', key = ''): Generator<[Obj, string, string]> {
  if (Array.isArray(doc))
    for (let i = 0; i < doc.length; i++) yield* nodes(doc[i] as Json, `${pointer}/${i}`, `${i}`);
  else if (isObj(doc)) {
    yield [doc, pointer, key];
    for (const [k, v] of Object.entries(doc))
      yield* nodes(v, `${pointer}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, k);
  }
}

function all(files: SpecFiles): [string, Obj, string, string][] {
  const out: [string, Obj, string, string][] = [];
  for (const [file, doc] of files)
    for (const [node, pointer, key] of nodes(doc)) out.push([file, node, pointer, key]);
  return out;
}

const compilesU = (p: string) => {
  try {
    new RegExp(p, 'u');
    return true;
  } catch {
    return false;
  }
};

/** Undoes the recorded changes (last first). */
function undo(files: SpecFiles, changes: readonly Change[]): SpecFiles {
  const out: SpecFiles = new Map([...files].map(([n, d]) => [n, structuredClone(d)]));
  for (const c of [...changes].reverse()) setAt(out.get(c.file) as Json, c.pointer, c.before);
  return out;
}

/** Each patch's claim, checked on files where only that patch ran: [before holds the defect, after does not]. */
const CLAIMS: [SpecPatch, (files: SpecFiles) => number][] = [
  [
    emptyServers,
    (f) =>
      [...f.values()].filter((d) => isObj(d) && Array.isArray(d.servers) && d.servers.length === 0).length,
  ],
  [
    missingSecuritySchemes,
    (f) => {
      // OPNC CCP: names in `security` of its path files, undefined in ccp.api.v1.json.
      const root = f.get(`${OPNC_DIR}/apis/ccp/ccp.api.v1.json`) as Obj;
      const defined = (getAt(root, '/components/securitySchemes') ?? {}) as Obj;
      let undefinedNames = 0;
      for (const [file, node] of all(f)) {
        if (!file.startsWith(`${OPNC_DIR}/apis/ccp/`) || !Array.isArray(node.security)) continue;
        for (const r of node.security)
          if (isObj(r)) for (const n of Object.keys(r)) if (!(n in defined)) undefinedNames++;
      }
      return undefinedNames;
    },
  ],
  [
    item1DuplicatedPrefixes,
    (f) => {
      const pki = getAt(f.get(`${OPNC_DIR}/apis/pki/pki.api.v1.json`) as Json, '/paths') as Obj;
      const event = getAt(f.get(`${OPNC_DIR}/apis/event/event.api.v1.json`) as Json, '/paths') as Obj;
      return (
        Object.keys(pki).filter((p) => p.startsWith('/pki/')).length +
        Object.keys(event).filter((p) => p.startsWith('/opnc/')).length
      );
    },
  ],
  [
    item2EstPaths,
    (f) => {
      let bad = 0;
      for (const [file, node] of all(f)) {
        if (node.in !== 'path') continue;
        if (file === `${OPCP_DIR}/est.v1.json` && node.required !== true) bad++;
        if (file.startsWith(`${OPNC_DIR}/apis/pki/`) && node.name === 'algorithm') bad++;
      }
      const paths = getAt(f.get(`${OPCP_DIR}/est.v1.json`) as Json, '/paths') as Obj;
      for (const short of [
        '/{ca}/cacerts',
        '/{ca}/cacerts/{iso-version}',
        '/.well-known/est/{ca}/simpleenroll',
      ])
        if (!(short in paths)) bad++;
      return bad;
    },
  ],
  [
    item6RootObject,
    (f) =>
      all(f).filter(
        ([, n]) =>
          (n.maxProperties === 1 && isObj(n.properties) && Object.keys(n.properties).length > 1) ||
          (n.type === 'array' && Array.isArray(n.enum)) ||
          (Array.isArray(n.required) &&
            n.required.includes('rootType') &&
            isObj(n.properties) &&
            !('rootType' in n.properties)),
      ).length,
  ],
  [
    item7FingerprintPattern,
    (f) =>
      all(f).filter(([, n, , key]) => {
        const name = key === 'schema' ? '' : key;
        return (
          /fingerprint/i.test(name) &&
          isObj(n) &&
          typeof n.pattern === 'string' &&
          !new RegExp(n.pattern).test('ab'.repeat(32))
        );
      }).length,
  ],
  [
    item8UuidRegex,
    (f) =>
      all(f).filter(
        ([, n]) => typeof n.pattern === 'string' && n.pattern.includes('\\-') && !compilesU(n.pattern),
      ).length,
  ],
  [
    item16CertificateMaxLength,
    (f) => all(f).filter(([, n, , key]) => n.maxLength === 800 && /cert/i.test(key)).length,
  ],
  [
    item17RequiredFalse,
    (f) =>
      all(f).filter(([, n, p]) => typeof n.required === 'boolean' && /\/properties\/[^/]+$/.test(p)).length,
  ],
  [
    item18ErrorExamples,
    (f) => {
      const schema = getAt(
        f.get(`${OPCP_DIR}/ccp.v1.json`) as Json,
        '/paths/~1v1~1ccp~1signedContractData/post/responses/404/content/application~1json/schema',
      ) as Obj;
      return Array.isArray(schema.anyOf) ? 0 : 1;
    },
  ],
  [
    item36EstMediaTypes,
    (f) => {
      let bad = 0;
      for (const [file, node, pointer] of all(f)) {
        if (!file.includes('est.v1') && !/pki\.api\.v1\.(cacerts|simpleenroll)/.test(file)) continue;
        if (node.in === 'header' && String(node.name).toLowerCase() === 'content-transfer-encoding') bad++;
        if (
          /\/responses\/200$/.test(pointer) &&
          isObj(node.content) &&
          !('application/pkcs7-mime' in node.content)
        )
          bad++;
      }
      return bad;
    },
  ],
];

describe('scripts/specs/patch-specs.ts on ../shared/specs', { skip }, () => {
  const original = skip === false ? loadSpecs() : new Map();

  test('loads the OPCP reference files and the OPNC apis / components', () => {
    assert.ok(original.has(`${OPCP_DIR}/ccp.v1.json`));
    assert.ok(original.has(`${OPNC_DIR}/apis/rcp/rcp.api.v1.json`));
    assert.ok(original.has(`${OPNC_DIR}/components/schemas/certificateChain.v1.json`));
  });

  test('every patch has a claim here and the claims cover every patch', () => {
    assert.deepEqual(CLAIMS.map(([p]) => p.name).sort(), SPEC_PATCHES.map((p) => p.name).sort());
  });

  for (const [patch, defects] of CLAIMS) {
    test(`${patch.name} (item ${patch.item}): fixes its defect and changes nothing else`, () => {
      const before = defects(original);
      assert.ok(before > 0, `the unpatched specs show no defect for ${patch.name}`);
      const { files, applied } = patchSpecs(original, { patches: [patch], serverUrl: 'http://127.0.0.1:9' });
      const changes = applied[0]?.changes ?? [];
      assert.ok(changes.length > 0);
      assert.equal(defects(files), 0, `${patch.name} left defects`);
      // Every recorded change is what the file now holds…
      for (const c of changes.filter((c) => c.after !== undefined)) {
        const now = getAt(files.get(c.file) as Json, c.pointer);
        if (!changes.some((d) => d !== c && d.pointer.startsWith(`${c.pointer}/`) && d.file === c.file))
          assert.deepEqual(now, c.after, `${c.file}#${c.pointer}`);
      }
      // …and undoing them gives back the original: nothing outside the patched pointers changed.
      const restored = undo(files, changes);
      for (const [name, doc] of original) assert.deepStrictEqual(restored.get(name), doc, name);
    });
  }

  test('after all patches: every pattern compiles with the u flag; fingerprints accept SHA-256 hex and colon hex', () => {
    const { files } = patchSpecs(original);
    for (const [file, node, pointer] of all(files)) {
      if (typeof node.pattern === 'string')
        assert.ok(compilesU(node.pattern), `${file}#${pointer}: ${node.pattern}`);
    }
    const re = new RegExp(FINGERPRINT_PATTERN, 'u');
    assert.ok(re.test('ab'.repeat(32)));
    assert.ok(re.test(Array(32).fill('AB').join(':')));
    assert.ok(!re.test('896b6655-180e-4304-b642-606bb00df8f0'));
  });

  test('the patches are idempotent (a second run changes nothing)', () => {
    const once = patchSpecs(original).files;
    const twice = patchSpecs(once);
    for (const { patch, changes } of twice.applied) assert.equal(changes.length, 0, patch.name);
  });

  test('the written copies keep their relative $refs resolvable; the summary names every patch', () => {
    const out = mkdtempSync(join(tmpdir(), 'pnc-specs-test-'));
    try {
      const { dir, applied } = writePatchedSpecs({ out });
      assert.equal(dir, out);
      const files = patchSpecs(original).files;
      for (const [file, doc] of files) {
        assert.ok(existsSync(join(dir, file)), file);
        for (const [node] of nodes(doc)) {
          if (typeof node.$ref !== 'string' || node.$ref.startsWith('#')) continue;
          const target = node.$ref.split('#')[0] as string;
          assert.ok(existsSync(join(dir, dirname(file), target)), `${file}: ${node.$ref}`);
        }
      }
      const text = summary(applied, dir);
      for (const patch of SPEC_PATCHES) assert.match(text, new RegExp(`^${patch.name} \\(`, 'm'));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
