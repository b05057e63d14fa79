// The typed message model the codec produces and consumes.
//
// An element of complex type is a plain object: attributes and child elements are properties named
// by their local name, a repeated child is an array, simple content is `$value`, wildcard content
// (xs:any) is `$any`, and untyped character data of mixed content is `$text`. An element of simple
// type is just its value. The generated interfaces in src/exi/gen/*-types.ts describe each type.
import type { SimpleValue } from './values.ts';

export interface QualifiedName {
  readonly ns: string;
  readonly local: string;
}

/** Content matched by a wildcard (SE(*)) or decoded with a built-in grammar: kept generic. */
export interface AnyElement {
  readonly name: QualifiedName;
  /**
   * Attributes; a QName-valued one (xsi:type) also carries `qname`, the value as a name: `value` then
   * shows it in Clark notation `{uri}local` and `qname` is what is encoded.
   */
  readonly attributes: {
    readonly name: QualifiedName;
    readonly value: string;
    readonly qname?: QualifiedName;
  }[];
  readonly children: (AnyElement | string)[];
  /** Typed content when the element matched a global declaration of the schema set. */
  readonly typed?: ModelValue;
}

export type ModelObject = {
  [property: string]: ModelValue | ModelValue[] | AnyElement[] | string[] | undefined;
};
export type ModelValue = SimpleValue | ModelObject;

/** A decoded element: its qualified name and its content in the typed model. */
export interface ExiElement<T = ModelValue> {
  readonly name: QualifiedName;
  readonly value: T;
}
