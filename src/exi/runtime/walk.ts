// The encoder's view of a model object: which properties are still to be written, and which
// production of a grammar state writes the next one. Shared by the EXI encoder and the XML writer so
// both emit content in the one order the grammar allows.
//
// The model keeps no order between different properties, so the order is derived from the grammar:
// greedily (the first production of the state that writes a pending property — right for every
// sequence-shaped content model, i.e. all V2G message types) or, where repeated groups interleave
// several properties (xmldsig X509Data, SPKIData, mixed content; `RtType.needsPlan`) or where the
// greedy choice dead-ends, by a depth-first search for a production sequence that writes every
// property (`plan`).
import { CodecError } from './codec-error.ts';
import { nextState, type RtState, type RtType } from './grammar.ts';
import type { ModelObject } from './model.ts';
import { EV_AT, EV_CH, EV_EE, EV_SE, EV_SE_ANY } from './table.ts';

/** Upper bound on the search steps of one element's plan (hostile or absurd models fail cleanly). */
const MAX_PLAN_STEPS = 200_000;

/** A CodecError raised by the cursor of one element (so an encoder retries only that element). */
export function cursorError(path: string, message: string): CodecError {
  const e = new CodecError('schema-mismatch', message, -1);
  Object.defineProperty(e, 'cursorPath', { value: path, enumerable: false });
  return e;
}

export function isCursorErrorOf(e: unknown, path: string): boolean {
  return e instanceof CodecError && (e as { cursorPath?: string }).cursorPath === path;
}

export class ObjectCursor {
  readonly type: RtType;
  readonly obj: ModelObject;
  readonly path: string;
  private readonly attrDone: Uint8Array;
  private readonly childUsed: Int32Array;
  private valueDone = false;
  private anyUsed = 0;
  private textUsed = 0;
  private planned: number[] | undefined;
  private step = 0;

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

  get isPlanned(): boolean {
    return this.planned !== undefined;
  }

  /** Event code of the production that writes the next pending property, EE when none is pending. */
  choose(st: RtState, stateIndex: number): number {
    if (this.planned) {
      const code = this.planned[this.step++];
      if (code === undefined || code >= st.count)
        throw cursorError(this.path, `${this.path}: internal plan mismatch`);
      return code;
    }
    const { kinds, args, count } = st;
    const obj = this.obj;
    let textCode = -1;
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
            if (!Array.isArray(v)) {
              throw new CodecError(
                'schema-mismatch',
                `${this.path}/${this.type.childNames[arg]}: expected an array`,
                -1,
              );
            }
            if (this.childUsed[arg]! < v.length) return code;
          } else if (this.childUsed[arg] === 0) return code;
          break;
        }
        case EV_CH:
          if (arg >= 0) {
            if (!this.valueDone && obj.$value !== undefined) return code;
          } else if (this.textRemaining() > 0) textCode = code;
          break;
        case EV_SE_ANY: {
          const any = obj.$any;
          if (Array.isArray(any) && this.anyUsed < any.length) return code;
          break;
        }
      }
    }
    // Untyped character data of mixed content goes after the elements (the model keeps no
    // interleaving; decode(encode(model)) gives the same $text list).
    if (textCode >= 0) return textCode;
    if (st.eeCode >= 0) return st.eeCode;
    throw cursorError(
      this.path,
      `${this.path}: ${this.type.name} is incomplete here: expected ${this.expected(st)} (state ${stateIndex})`,
    );
  }

  private textRemaining(): number {
    const text = this.obj.$text;
    return Array.isArray(text) ? text.length - this.textUsed : 0;
  }

  /**
   * Switches the cursor to a precomputed production sequence: a depth-first search over the grammar
   * for an order that writes every property exactly once and ends with EE.
   */
  usePlan(): void {
    const t = this.type;
    const obj = this.obj;
    const A = t.attrNames.length;
    const C = t.childNames.length;
    const total = new Int32Array(A + C + 3);
    t.attrNames.forEach((name, i) => {
      total[i] = obj[name] !== undefined ? 1 : 0;
    });
    t.childNames.forEach((name, i) => {
      const v = obj[name];
      total[A + i] = v === undefined ? 0 : t.childRepeated[i] ? (Array.isArray(v) ? v.length : 0) : 1;
    });
    total[A + C] = obj.$value !== undefined ? 1 : 0;
    total[A + C + 1] = Array.isArray(obj.$any) ? obj.$any.length : 0;
    total[A + C + 2] = Array.isArray(obj.$text) ? obj.$text.length : 0;
    const used = new Int32Array(total.length);
    const failed = new Set<string>();
    const codes: number[] = [];
    let steps = 0;
    const complete = (): boolean => used.every((u, i) => u === total[i]);
    const search = (state: number, loopCount: number): boolean => {
      if (++steps > MAX_PLAN_STEPS)
        throw new CodecError('limit', `${this.path}: no order found within ${MAX_PLAN_STEPS} steps`, -1);
      const key = `${state}|${loopCount}|${used.join(',')}`;
      if (failed.has(key)) return false;
      const st = t.states[state]!;
      for (let code = 0; code < st.count; code++) {
        const kind = st.kinds[code];
        const arg = st.args[code]!;
        let slot: number;
        if (kind === EV_EE) {
          if (complete()) {
            codes.push(code);
            return true;
          }
          continue;
        }
        if (kind === EV_AT) slot = arg;
        else if (kind === EV_SE) slot = A + arg;
        else if (kind === EV_CH) slot = arg >= 0 ? A + C : A + C + 2;
        else if (kind === EV_SE_ANY) slot = A + C + 1;
        else continue;
        if (used[slot]! >= total[slot]!) continue;
        used[slot]!++;
        codes.push(code);
        const loop = { count: loopCount };
        const next = nextState(st, code, state, loop);
        if (search(next, loop.count)) return true;
        used[slot]!--;
        codes.pop();
      }
      failed.add(key);
      return false;
    };
    if (!search(0, 0)) {
      throw cursorError(
        this.path,
        `${this.path}: no order of its properties is valid for ${t.name} (missing, extra or misplaced content)`,
      );
    }
    this.planned = codes;
    this.step = 0;
  }

  private expected(st: RtState): string {
    const names: string[] = [];
    for (let code = 0; code < st.count; code++) {
      const arg = st.args[code]!;
      if (st.kinds[code] === EV_AT) names.push(`@${this.type.attrNames[arg]}`);
      else if (st.kinds[code] === EV_SE) names.push(this.type.childNames[arg]!);
      else if (st.kinds[code] === EV_CH) names.push(arg >= 0 ? '$value' : '$text');
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

  takeText(): unknown {
    const text = this.obj.$text as unknown[];
    return text[this.textUsed++];
  }

  /** After EE: every property of the object must have been written (nothing silently dropped). */
  assertConsumed(): void {
    for (const key of Object.keys(this.obj)) {
      const value = this.obj[key];
      if (value === undefined) continue;
      const a = this.type.attrIndex.get(key);
      if (a !== undefined) {
        if (this.attrDone[a] === 0)
          throw cursorError(
            this.path,
            `${this.path}/@${key}: attribute not allowed here by ${this.type.name}`,
          );
        continue;
      }
      const c = this.type.childIndex.get(key);
      if (c !== undefined) {
        const used = this.childUsed[c]!;
        const total = this.type.childRepeated[c] ? (value as unknown[]).length : 1;
        if (used < total) {
          throw cursorError(
            this.path,
            `${this.path}/${key}: ${total - used} more than ${this.type.name} allows here (wrong order or too many)`,
          );
        }
        continue;
      }
      if (key === '$value' && this.valueDone) continue;
      if (key === '$any' && this.anyUsed === (value as unknown[]).length) continue;
      if (key === '$text' && this.textUsed === (value as unknown[]).length) continue;
      throw cursorError(this.path, `${this.path}: property '${key}' is not part of ${this.type.name}`);
    }
  }
}

export { EV_EE };
