// GENERATED FILE — do not edit. Regenerate with `npm run generate`.
// Generator: tools/exi-codegen v1; schema set 'sap' (SupportedAppProtocol).
// Sources (read from the shared schema directory, not part of this repository):
//   app-protocol/V2G_CI_AppProtocol.xsd sha256=4b720c6382d2f059558586701d74bc604e90053a949893326746119ff0fca136
/* biome-ignore-all format: generated */

// Typed message model: one interface per complex type. Attributes and child elements are
// properties named by their local name; repeated children are arrays; simple content is `$value`.

/** {http://www.w3.org/2001/XMLSchema}anyType */
export interface AnyType {
  $any?: import('../runtime/model.ts').AnyElement[];
}

/** {urn:iso:15118:2:2010:AppProtocol}AppProtocolType */
export interface AppProtocolType {
  ProtocolNamespace: string;
  VersionNumberMajor: number;
  VersionNumberMinor: number;
  SchemaID: number;
  Priority: number;
}

/** anonymous type (V2G_CI_AppProtocol.xsd:6) */
export interface supportedAppProtocolReqType {
  AppProtocol: AppProtocolType[];
}

/** anonymous type (V2G_CI_AppProtocol.xsd:13) */
export interface supportedAppProtocolResType {
  ResponseCode: "OK_SuccessfulNegotiation" | "OK_SuccessfulNegotiationWithMinorDeviation" | "Failed_NoNegotiation";
  SchemaID?: number;
}

/** The global elements of this schema set and the type of their content. */
export interface SapElements {
  "supportedAppProtocolReq": supportedAppProtocolReqType;
  "supportedAppProtocolRes": supportedAppProtocolResType;
}
