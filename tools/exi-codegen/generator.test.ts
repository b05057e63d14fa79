import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { hasShared, SHARED_SKIP, sharedPath } from '../../src/testing/shared-data.ts';
import { buildTypeGrammar, type GProduction } from './grammar-builder.ts';
import { generate } from './main.ts';
import { buildSchemaSet, type ComplexTypeDef, type SchemaSet } from './schema-model.ts';
import { loadXsdSet } from './xsd-reader.ts';

function schemaFrom(xsd: string): SchemaSet {
  const dir = mkdtempSync(join(tmpdir(), 'exi-codegen-'));
  try {
    const file = join(dir, 'test.xsd');
    writeFileSync(file, xsd);
    return buildSchemaSet(loadXsdSet([file]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const wrap = (body: string): string =>
  `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns="urn:t" targetNamespace="urn:t" elementFormDefault="qualified">${body}</xs:schema>`;

function describeProduction(p: GProduction): string {
  if (p.kind === 'SE' || p.kind === 'AT')
    return `${p.kind}(${p.qname!.local})${p.next >= 0 ? `->${p.next}` : ''}`;
  return p.next >= 0 && p.kind !== 'EE' ? `${p.kind}->${p.next}` : p.kind;
}

function grammarOf(schema: SchemaSet, typeName: string): string[][] {
  const type = schema.complexTypes.find((t) => t.codeName === typeName) as ComplexTypeDef;
  assert.ok(type, `type ${typeName}`);
  return buildTypeGrammar(type, schema).states.map((s) => s.productions.map(describeProduction));
}

describe('grammar construction (EXI 1.0 §8.5.4)', () => {
  test('sequence with an optional particle: EE only where all remaining particles are optional', () => {
    const s = schemaFrom(
      wrap(`<xs:complexType name="T"><xs:sequence>
        <xs:element name="A" type="xs:string"/><xs:element name="B" type="xs:string" minOccurs="0"/>
        <xs:element name="C" type="xs:string" minOccurs="0"/></xs:sequence></xs:complexType>`),
    );
    assert.deepEqual(grammarOf(s, 'T'), [
      ['SE(A)->1'],
      ['SE(B)->2', 'SE(C)->3', 'EE'],
      ['SE(C)->3', 'EE'],
      ['EE'],
    ]);
  });

  test('attributes are sorted by local name then namespace; optional ones can be skipped', () => {
    const s = schemaFrom(
      `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns="urn:t" targetNamespace="urn:t" attributeFormDefault="qualified">
        <xs:complexType name="T"><xs:attribute name="b" type="xs:string" use="required"/>
        <xs:attribute name="a" type="xs:string"/><xs:attribute name="c" form="unqualified" type="xs:string"/></xs:complexType></xs:schema>`,
    );
    // a (optional) then b (required) then c (optional); content empty.
    assert.deepEqual(grammarOf(s, 'T'), [['AT(a)->1', 'AT(b)->2'], ['AT(b)->2'], ['AT(c)->3', 'EE'], ['EE']]);
  });

  test('bounded repetition is counted exactly (maxOccurs 3)', () => {
    const s = schemaFrom(
      wrap(
        `<xs:complexType name="T"><xs:sequence><xs:element name="A" type="xs:int" maxOccurs="3"/></xs:sequence></xs:complexType>`,
      ),
    );
    assert.deepEqual(grammarOf(s, 'T'), [['SE(A)->1'], ['SE(A)->2', 'EE'], ['SE(A)->3', 'EE'], ['EE']]);
  });

  test('unbounded choice loops back and offers every branch again (P6)', () => {
    const s = schemaFrom(
      wrap(`<xs:complexType name="T"><xs:choice maxOccurs="unbounded"><xs:element name="B" type="xs:int"/>
        <xs:element name="A" type="xs:int"/></xs:choice></xs:complexType>`),
    );
    const g = grammarOf(s, 'T');
    // Schema order (B before A), not alphabetical; after one occurrence all branches plus EE.
    assert.deepEqual(g[0], ['SE(B)->1', 'SE(A)->1']);
    assert.deepEqual(g[1], ['SE(B)->1', 'SE(A)->1', 'EE']);
  });

  test('a substitution group offers every member, abstract head included, sorted by qname (P3)', () => {
    const s = schemaFrom(
      wrap(`<xs:element name="Head" type="Base" abstract="true"/><xs:complexType name="Base" abstract="true"/>
        <xs:element name="Zeta" type="Base" substitutionGroup="Head"/><xs:element name="Alpha" type="Base" substitutionGroup="Head"/>
        <xs:complexType name="T"><xs:sequence><xs:element ref="Head" minOccurs="0"/></xs:sequence></xs:complexType>`),
    );
    assert.deepEqual(grammarOf(s, 'T')[0], ['SE(Alpha)->1', 'SE(Head)->1', 'SE(Zeta)->1', 'EE']);
  });

  test('mixed content adds CH to content states, after EE (P5)', () => {
    const s = schemaFrom(
      wrap(`<xs:complexType name="T" mixed="true"><xs:sequence><xs:element name="A" type="xs:int" minOccurs="0"/></xs:sequence>
        <xs:attribute name="x" type="xs:string" use="required" form="unqualified"/></xs:complexType>`),
    );
    const g = grammarOf(s, 'T');
    assert.deepEqual(g[0], ['AT(x)->1']);
    assert.deepEqual(g[1], ['SE(A)->2', 'EE', 'CH->1']);
  });

  test('complex content extension appends the derived particle to the base content', () => {
    const s = schemaFrom(
      wrap(`<xs:complexType name="Base"><xs:sequence><xs:element name="A" type="xs:int"/></xs:sequence></xs:complexType>
        <xs:complexType name="T"><xs:complexContent><xs:extension base="Base"><xs:sequence>
        <xs:element name="B" type="xs:int"/></xs:sequence></xs:extension></xs:complexContent></xs:complexType>`),
    );
    assert.deepEqual(grammarOf(s, 'T'), [['SE(A)->1'], ['SE(B)->2'], ['EE']]);
  });

  test('unsupported constructs fail loudly instead of producing a wrong grammar', () => {
    assert.throws(
      () =>
        schemaFrom(
          wrap(
            `<xs:simpleType name="P"><xs:restriction base="xs:string"><xs:pattern value="[a-z]+"/></xs:restriction></xs:simpleType>`,
          ),
        ),
      /unsupported facet xs:pattern/,
    );
    const withAll = schemaFrom(
      wrap(`<xs:complexType name="T"><xs:all><xs:element name="A" type="xs:int"/></xs:all></xs:complexType>`),
    );
    assert.throws(() => {
      for (const t of withAll.complexTypes) buildTypeGrammar(t, withAll);
    }, /xs:all/);
  });
});

describe('generated tables for the real schema sets', {
  skip: hasShared('schemas') ? false : SHARED_SKIP,
}, () => {
  test('generation is deterministic and matches the committed files', () => {
    const a = mkdtempSync(join(tmpdir(), 'exi-gen-a-'));
    const b = mkdtempSync(join(tmpdir(), 'exi-gen-b-'));
    try {
      generate(sharedPath('schemas'), a);
      generate(sharedPath('schemas'), b);
      const files = readdirSync(a).sort();
      assert.deepEqual(files, readdirSync(b).sort());
      for (const f of files) {
        const text = readFileSync(join(a, f), 'utf8');
        assert.equal(text, readFileSync(join(b, f), 'utf8'), `${f} differs between two runs`);
        assert.equal(
          text,
          readFileSync(join(import.meta.dirname, '../../src/exi/gen', f), 'utf8'),
          `${f} differs from the committed file`,
        );
        assert.match(text, /^\/\/ GENERATED FILE — do not edit\./);
      }
    } finally {
      rmSync(a, { recursive: true, force: true });
      rmSync(b, { recursive: true, force: true });
    }
  });

  test('ISO 15118-2 facts from exi-and-signatures.md §1.3 and §1.4', async () => {
    const { iso2Table, xmldsigTable, sapTable } = await import('../../src/exi/gen/index.ts');
    const local = (t: typeof iso2Table, q: number): string => t.qnames[q]![1];
    assert.equal(iso2Table.globalElements.length, 80); // + SE(*) → 7-bit DocContent
    assert.equal(
      iso2Table.globalElements.findIndex(([q]) => local(iso2Table, q) === 'V2G_Message'),
      76,
    );
    assert.equal(iso2Table.fragmentElements.length, 243); // + SE(*), ED → 8-bit FragmentContent
    const code = (name: string): number =>
      iso2Table.fragmentElements.findIndex(([q]) => local(iso2Table, q) === name);
    assert.deepEqual(
      [
        'AuthorizationReq',
        'CertificateInstallationReq',
        'ContractSignatureCertChain',
        'ContractSignatureEncryptedPrivateKey',
        'DHpublickey',
        'eMAID',
      ].map(code),
      [4, 15, 33, 34, 45, 236],
    );
    // eMAID is declared with two types: element fragment grammar, AT({MsgDataTypes}Id) = 4 of 10.
    const attrs = iso2Table.fragmentAttributes.map(
      ([q]) => `${iso2Table.uris[iso2Table.qnames[q]![0]]} ${local(iso2Table, q)}`,
    );
    assert.equal(attrs.length, 10);
    assert.equal(attrs[4], 'urn:iso:15118:2:2013:MsgDataTypes Id');
    assert.equal(xmldsigTable.fragmentElements.length, 45);
    assert.equal(
      xmldsigTable.fragmentElements.findIndex(([q]) => local(xmldsigTable, q) === 'SignedInfo'),
      32,
    );
    assert.equal(sapTable.globalElements.length, 2);
    // ISO 15118-20 CommonMessages (exi-and-signatures.md §1.3): 54 globals (6 bits), 281 fragment
    // qnames (9 bits), no element fragment grammar; DIN: V2G_Message = 77 of 82 (documents start 80 9a).
    const { iso20CommonTable: c20, dinTable } = await import('../../src/exi/gen/index.ts');
    const l20 = (q: number): string => c20.qnames[q]![1];
    assert.equal(c20.globalElements.length, 54);
    assert.deepEqual(
      [
        'AuthorizationReq',
        'AuthorizationRes',
        'CertificateInstallationReq',
        'CertificateInstallationRes',
        'SessionSetupReq',
      ].map((n) => c20.globalElements.findIndex(([q]) => l20(q) === n)),
      [0, 1, 7, 8, 35],
    );
    assert.equal(c20.fragmentElements.length, 281);
    assert.deepEqual(
      ['OEMProvisioningCertificateChain', 'PnC_AReqAuthorizationMode', 'SignedInstallationData'].map((n) =>
        c20.fragmentElements.findIndex(([q]) => l20(q) === n),
      ),
      [128, 151, 231],
    );
    assert.equal(
      dinTable.globalElements.findIndex(([q]) => dinTable.qnames[q]![1] === 'V2G_Message'),
      77,
    );
    // Body: 35 substitution-group members (abstract BodyElement is code 2) + EE → 6-bit codes (P3).
    const body = iso2Table.types.find((t) => t.name === 'BodyType')!;
    const first = body.states[0]!;
    assert.equal(first.length / 3, 36);
    assert.equal(local(iso2Table, body.children[first[2 * 3 + 1]!]![0]), 'BodyElement');
  });
});

describe('shared interfaces between schema sets', () => {
  const generated = new URL('../../src/exi/gen/', import.meta.url);
  const read = (name: string) => readFileSync(new URL(name, generated), 'utf8');
  const declared = (text: string) =>
    new Set([...text.matchAll(/^export interface (\w+) /gm)].map((m) => m[1]));

  test('-20 AC imports the CommonTypes and xmldsig interfaces instead of declaring them again', () => {
    const ac = read('iso-20-ac-types.ts');
    assert.match(
      ac,
      /^import type \{[^}]*\bMessageHeaderType\b[^}]*\} from '\.\/iso-20-common-types\.ts';$/m,
    );
    assert.match(ac, /^export type \{[^}]*\bSignatureType\b[^}]*\} from '\.\/xmldsig-types\.ts';$/m);
    assert.ok(!declared(ac).has('MessageHeaderType'));
    assert.ok(declared(ac).has('AC_CPDReqEnergyTransferModeType'));
  });

  test('an imported interface is declared by its provider with the same text it would have had', () => {
    // The provider modules declare every name the consumers import (tsc checks the types; this checks
    // the generator's bookkeeping), and no name is both declared and imported in one module.
    for (const file of readdirSync(generated).filter((f) => f.endsWith('-types.ts'))) {
      const text = read(file);
      for (const m of text.matchAll(/^import type \{ ([^}]+) \} from '\.\/([\w-]+\.ts)';$/gm)) {
        const provider = declared(read(m[2] as string));
        for (const name of (m[1] as string).split(', ')) {
          assert.ok(provider.has(name), `${file}: ${name} is not declared in ${m[2]}`);
          assert.ok(!declared(text).has(name), `${file}: ${name} is declared and imported`);
        }
      }
    }
  });
});
