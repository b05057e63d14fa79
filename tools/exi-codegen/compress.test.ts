import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  decodeExiFragment,
  encodeExiDocument,
  encodeExiFragment,
  isCodecError,
  NS,
  schemaSet,
} from '../../src/exi/codec.ts';
import { compileSchema } from '../../src/exi/runtime/grammar.ts';
import { ELEMENT_FRAGMENT_GRAMMAR, type SchemaTable } from '../../src/exi/runtime/table.ts';
import { hasShared, SHARED_SKIP, sharedPath } from '../../src/testing/shared-data.ts';
import { compressChains } from './compress.ts';
import { emitSchemaSet } from './emit.ts';
import { buildSchemaSet } from './schema-model.ts';
import { loadXsdSet } from './xsd-reader.ts';

test('a chain of states that differ only in one successor becomes one counted state', () => {
  // X{1,4} then EE: 0:[SE→1] 1:[SE→2,EE] 2:[SE→3,EE] 3:[SE→4,EE] 4:[EE]
  const se = 3;
  const ee = 6;
  const states = [
    [se, 0, 1],
    [se, 0, 2, ee, -1, -1],
    [se, 0, 3, ee, -1, -1],
    [se, 0, 4, ee, -1, -1],
    [ee, -1, -1],
  ];
  const out = compressChains(states);
  assert.deepEqual(out.states, [
    [se, 0, 1],
    [se, 0, 1, ee, -1, -1],
    [ee, -1, -1],
  ]);
  assert.deepEqual(out.loops, [[1, 0, 3, 2]]);
  // Too short chains and chains with self-loops stay as they are.
  assert.deepEqual(
    compressChains([
      [se, 0, 1],
      [se, 0, 2, ee, -1, -1],
      [ee, -1, -1],
    ]).loops,
    [],
  );
});

/** The uncompressed table of a schema set, built in memory from the generator's output. */
function unrolledTable(dir: string, root: string, id: string): SchemaTable {
  const schema = buildSchemaSet(loadXsdSet([sharedPath('schemas', dir, root)]));
  const text = emitSchemaSet({ id, exportName: 'x', schema, banner: '', compress: false }).table;
  const literal = text.slice(text.indexOf('= {') + 2).replace(/;\s*$/, '');
  return new Function('ELEMENT_FRAGMENT_GRAMMAR', `return (${literal});`)(
    ELEMENT_FRAGMENT_GRAMMAR,
  ) as SchemaTable;
}

describe('counted repetitions encode exactly like the unrolled grammar', {
  skip: hasShared('schemas') ? false : SHARED_SKIP,
}, () => {
  test('SupportedAppProtocol: AppProtocol 1..20, 21 refused', () => {
    const unrolled = compileSchema(unrolledTable('app-protocol', 'V2G_CI_AppProtocol.xsd', 'sap'));
    const compressed = schemaSet('sap');
    assert.ok(
      compressed.types.reduce((n, t) => n + t.states.length, 0) <
        unrolled.types.reduce((n, t) => n + t.states.length, 0),
    );
    const item = (i: number) => ({
      ProtocolNamespace: `urn:p${i}`,
      VersionNumberMajor: 2,
      VersionNumberMinor: 0,
      SchemaID: i % 256,
      Priority: 1 + (i % 20),
    });
    for (let n = 1; n <= 21; n++) {
      const root = {
        name: { ns: NS.appProtocol, local: 'supportedAppProtocolReq' },
        value: { AppProtocol: Array.from({ length: n }, (_, i) => item(i)) },
      };
      if (n <= 20)
        assert.deepEqual(encodeExiDocument(compressed, root), encodeExiDocument(unrolled, root), `n=${n}`);
      else {
        assert.throws(
          () => encodeExiDocument(compressed, root),
          (e: unknown) => isCodecError(e) && e.reason === 'schema-mismatch',
        );
        assert.throws(
          () => encodeExiDocument(unrolled, root),
          (e: unknown) => isCodecError(e),
        );
      }
    }
  });

  test('ISO 15118-2 PMaxSchedule: 1, 2, 3, 1023, 1024 entries; 1025 refused; decode agrees', () => {
    const unrolled = compileSchema(unrolledTable('iso15118-2', 'V2G_CI_MsgDef.xsd', 'iso-2'));
    const compressed = schemaSet('iso-2');
    const entry = (i: number) => ({
      RelativeTimeInterval: { start: i },
      PMax: { Multiplier: 0, Unit: 'W', Value: i % 1000 },
    });
    for (const n of [1, 2, 3, 1023, 1024, 1025]) {
      const el = [
        {
          name: { ns: NS.iso2MsgDataTypes, local: 'PMaxSchedule' },
          value: { PMaxScheduleEntry: Array.from({ length: n }, (_, i) => entry(i)) },
        },
      ];
      if (n <= 1024) {
        const a = encodeExiFragment(compressed, el);
        assert.deepEqual(a, encodeExiFragment(unrolled, el), `n=${n}`);
        assert.deepEqual(decodeExiFragment(compressed, a), decodeExiFragment(unrolled, a));
      } else {
        assert.throws(
          () => encodeExiFragment(compressed, el),
          (e: unknown) => isCodecError(e) && e.reason === 'schema-mismatch',
        );
      }
    }
  });
});
