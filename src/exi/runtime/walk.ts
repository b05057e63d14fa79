// The encoder's view of a model object: which properties are still to be written, and which
// production of a grammar state writes the next one. Shared by the EXI encoder and the XML writer so
// both emit content in the one order the grammar allows.
import { CodecError } from './codec-error.ts';
import type { RtState, RtType } from './grammar.ts';
import type { ModelObject } from './model.ts';
import { EV_AT, EV_CH, EV_EE, EV_SE, EV_SE_ANY } from './table.ts';

export class ObjectCursor {
  readonly type: RtType;
  readonly obj: ModelObject;
  readonly path: string;
  private readonly attrDone: Uint8Array;
  private readonly childUsed: Int32Array;
  private valueDone = false;
  private anyUsed = 0;

  constructor(type: RtType, obj: unknown, path: string) {
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj) || obj instanceof Uint8Array) {
      throw new CodecError('schema-mismatch', `${path}: expected an object for ${type.name}`, -1);
    }
    this.type = type;
    this.obj = obj as ModelObject;
    this.path = path;
    this.attrDone = new Uint8Array(type.attrNames.length);
    this.childUsed = new Int32Array(type.childNames.length);
  }

  /** Event code of the production that writes the next pending property, EE when none is pending. */
  choose(st: RtState, stateIndex: number): number {
    const { kinds, args, count } = st;
    const obj = this.obj;
    for (let code = 0; code < count; code++) {
      const arg = args[code]!;
      switch (kinds[code]) {
        case EV_AT:
          if (this.attrDone[arg] === 0 && obj[this.type.attrNames[arg]!] !== undefined) return code;
          break;
        case EV_SE: {
          const v = obj[this.type.childNames[arg]!];
          if (v === undefined) break;
          if (this.type.childRepeated[arg]) {
            if (!Array.isArray(v))
              throw new CodecError(
                'schema-mismatch',
                `${this.path}/${this.type.childNames[arg]}: expected an array`,
                -1,
              );
            if (this.childUsed[arg]! < v.length) return code;
          } else if (this.childUsed[arg] === 0) return code;
          break;
        }
        case EV_CH:
          if (arg >= 0 && !this.valueDone && obj.$value !== undefined) return code;
          break;
        case EV_SE_ANY: {
          const any = obj.$any;
          if (Array.isArray(any) && this.anyUsed < any.length) return code;
          break;
        }
      }
    }
    if (st.eeCode >= 0) return st.eeCode;
    throw new CodecError(
      'schema-mismatch',
      `${this.path}: ${this.type.name} is incomplete here: expected ${this.expected(st)} (state ${stateIndex})`,
      -1,
    );
  }

  private expected(st: RtState): string {
    const names: string[] = [];
    for (let code = 0; code < st.count; code++) {
      const arg = st.args[code]!;
      if (st.kinds[code] === EV_AT) names.push(`@${this.type.attrNames[arg]}`);
      else if (st.kinds[code] === EV_SE) names.push(this.type.childNames[arg]!);
      else if (st.kinds[code] === EV_CH) names.push('$value');
      else if (st.kinds[code] === EV_SE_ANY) names.push('$any');
    }
    return names.length === 0
      ? 'nothing'
      : `one of ${names.slice(0, 6).join(', ')}${names.length > 6 ? ', …' : ''}`;
  }

  takeAttribute(arg: number): unknown {
    this.attrDone[arg] = 1;
    return this.obj[this.type.attrNames[arg]!];
  }

  /** The next value of child `arg` (one array item for repeated children). */
  takeChild(arg: number): { value: unknown; path: string } {
    const name = this.type.childNames[arg]!;
    const v = this.obj[name];
    const i = this.childUsed[arg]!;
    this.childUsed[arg] = i + 1;
    if (this.type.childRepeated[arg])
      return { value: (v as unknown[])[i], path: `${this.path}/${name}[${i}]` };
    return { value: v, path: `${this.path}/${name}` };
  }

  takeValue(): unknown {
    this.valueDone = true;
    return this.obj.$value;
  }

  takeAny(): unknown {
    const any = this.obj.$any as unknown[];
    return any[this.anyUsed++];
  }

  /** After EE: every property of the object must have been written (nothing silently dropped). */
  assertConsumed(): void {
    for (const key of Object.keys(this.obj)) {
      const value = this.obj[key];
      if (value === undefined) continue;
      const a = this.type.attrIndex.get(key);
      if (a !== undefined) {
        if (this.attrDone[a] === 0)
          throw new CodecError(
            'schema-mismatch',
            `${this.path}/@${key}: attribute not allowed here by ${this.type.name}`,
            -1,
          );
        continue;
      }
      const c = this.type.childIndex.get(key);
      if (c !== undefined) {
        const used = this.childUsed[c]!;
        const total = this.type.childRepeated[c] ? (value as unknown[]).length : 1;
        if (used < total) {
          throw new CodecError(
            'schema-mismatch',
            `${this.path}/${key}: ${total - used} more than ${this.type.name} allows here (wrong order or too many)`,
            -1,
          );
        }
        continue;
      }
      if (key === '$value' && this.valueDone) continue;
      if (key === '$any' && this.anyUsed === (value as unknown[]).length) continue;
      throw new CodecError(
        'schema-mismatch',
        `${this.path}: property '${key}' is not part of ${this.type.name}`,
        -1,
      );
    }
  }
}

export { EV_EE };
