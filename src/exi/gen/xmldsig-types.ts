// GENERATED FILE — do not edit. Regenerate with `npm run generate`.
// Generator: tools/exi-codegen v1; schema set 'xmldsig' (W3C xmldsig-core alone).
// Sources (read from the shared schema directory, not part of this repository):
//   iso15118-2/xmldsig-core-schema.xsd sha256=888e0823243920b421304016ef5eef74bed5a8f083605bf8e6a609f43bc5c3b8
/* biome-ignore-all format: generated */

// Typed message model: one interface per complex type. Attributes and child elements are
// properties named by their local name; repeated children are arrays; simple content is `$value`.

/** {http://www.w3.org/2001/XMLSchema}anyType */
export interface AnyType {
  $any?: import('../runtime/model.ts').AnyElement[];
}

/** {http://www.w3.org/2000/09/xmldsig#}CanonicalizationMethodType */
export interface CanonicalizationMethodType {
  Algorithm: string;
  $any?: import('../runtime/model.ts').AnyElement[];
}

/** {http://www.w3.org/2000/09/xmldsig#}DSAKeyValueType */
export interface DSAKeyValueType {
  P?: Uint8Array;
  Q?: Uint8Array;
  G?: Uint8Array;
  Y: Uint8Array;
  J?: Uint8Array;
  Seed?: Uint8Array;
  PgenCounter?: Uint8Array;
}

/** {http://www.w3.org/2000/09/xmldsig#}DigestMethodType */
export interface DigestMethodType {
  Algorithm: string;
  $any?: import('../runtime/model.ts').AnyElement[];
}

/** {http://www.w3.org/2000/09/xmldsig#}KeyInfoType */
export interface KeyInfoType {
  Id?: string;
  KeyName?: string[];
  KeyValue?: KeyValueType[];
  RetrievalMethod?: RetrievalMethodType[];
  X509Data?: X509DataType[];
  PGPData?: PGPDataType[];
  SPKIData?: SPKIDataType[];
  MgmtData?: string[];
  $any?: import('../runtime/model.ts').AnyElement[];
}

/** {http://www.w3.org/2000/09/xmldsig#}KeyValueType */
export interface KeyValueType {
  DSAKeyValue?: DSAKeyValueType;
  RSAKeyValue?: RSAKeyValueType;
  $any?: import('../runtime/model.ts').AnyElement[];
}

/** {http://www.w3.org/2000/09/xmldsig#}ManifestType */
export interface ManifestType {
  Id?: string;
  Reference: ReferenceType[];
}

/** {http://www.w3.org/2000/09/xmldsig#}ObjectType */
export interface ObjectType {
  Encoding?: string;
  Id?: string;
  MimeType?: string;
  $any?: import('../runtime/model.ts').AnyElement[];
}

/** {http://www.w3.org/2000/09/xmldsig#}PGPDataType */
export interface PGPDataType {
  PGPKeyID?: Uint8Array;
  PGPKeyPacket?: Uint8Array;
  $any?: import('../runtime/model.ts').AnyElement[];
}

/** {http://www.w3.org/2000/09/xmldsig#}RSAKeyValueType */
export interface RSAKeyValueType {
  Modulus: Uint8Array;
  Exponent: Uint8Array;
}

/** {http://www.w3.org/2000/09/xmldsig#}ReferenceType */
export interface ReferenceType {
  Id?: string;
  Type?: string;
  URI?: string;
  Transforms?: TransformsType;
  DigestMethod: DigestMethodType;
  DigestValue: Uint8Array;
}

/** {http://www.w3.org/2000/09/xmldsig#}RetrievalMethodType */
export interface RetrievalMethodType {
  Type?: string;
  URI?: string;
  Transforms?: TransformsType;
}

/** {http://www.w3.org/2000/09/xmldsig#}SPKIDataType */
export interface SPKIDataType {
  SPKISexp: Uint8Array[];
  $any?: import('../runtime/model.ts').AnyElement[];
}

/** {http://www.w3.org/2000/09/xmldsig#}SignatureMethodType */
export interface SignatureMethodType {
  Algorithm: string;
  HMACOutputLength?: bigint;
  $any?: import('../runtime/model.ts').AnyElement[];
}

/** {http://www.w3.org/2000/09/xmldsig#}SignaturePropertiesType */
export interface SignaturePropertiesType {
  Id?: string;
  SignatureProperty: SignaturePropertyType[];
}

/** {http://www.w3.org/2000/09/xmldsig#}SignaturePropertyType */
export interface SignaturePropertyType {
  Id?: string;
  Target: string;
  $any?: import('../runtime/model.ts').AnyElement[];
}

/** {http://www.w3.org/2000/09/xmldsig#}SignatureType */
export interface SignatureType {
  Id?: string;
  SignedInfo: SignedInfoType;
  SignatureValue: SignatureValueType;
  KeyInfo?: KeyInfoType;
  Object?: ObjectType[];
}

/** {http://www.w3.org/2000/09/xmldsig#}SignatureValueType */
export interface SignatureValueType {
  Id?: string;
  $value: Uint8Array;
}

/** {http://www.w3.org/2000/09/xmldsig#}SignedInfoType */
export interface SignedInfoType {
  Id?: string;
  CanonicalizationMethod: CanonicalizationMethodType;
  SignatureMethod: SignatureMethodType;
  Reference: ReferenceType[];
}

/** {http://www.w3.org/2000/09/xmldsig#}TransformType */
export interface TransformType {
  Algorithm: string;
  XPath?: string[];
  $any?: import('../runtime/model.ts').AnyElement[];
}

/** {http://www.w3.org/2000/09/xmldsig#}TransformsType */
export interface TransformsType {
  Transform: TransformType[];
}

/** {http://www.w3.org/2000/09/xmldsig#}X509DataType */
export interface X509DataType {
  X509IssuerSerial?: X509IssuerSerialType[];
  X509SKI?: Uint8Array[];
  X509SubjectName?: string[];
  X509Certificate?: Uint8Array[];
  X509CRL?: Uint8Array[];
  $any?: import('../runtime/model.ts').AnyElement[];
}

/** {http://www.w3.org/2000/09/xmldsig#}X509IssuerSerialType */
export interface X509IssuerSerialType {
  X509IssuerName: string;
  X509SerialNumber: bigint;
}

/** The global elements of this schema set and the type of their content. */
export interface XmldsigElements {
  "CanonicalizationMethod": CanonicalizationMethodType;
  "DSAKeyValue": DSAKeyValueType;
  "DigestMethod": DigestMethodType;
  "DigestValue": Uint8Array;
  "KeyInfo": KeyInfoType;
  "KeyName": string;
  "KeyValue": KeyValueType;
  "Manifest": ManifestType;
  "MgmtData": string;
  "Object": ObjectType;
  "PGPData": PGPDataType;
  "RSAKeyValue": RSAKeyValueType;
  "Reference": ReferenceType;
  "RetrievalMethod": RetrievalMethodType;
  "SPKIData": SPKIDataType;
  "Signature": SignatureType;
  "SignatureMethod": SignatureMethodType;
  "SignatureProperties": SignaturePropertiesType;
  "SignatureProperty": SignaturePropertyType;
  "SignatureValue": SignatureValueType;
  "SignedInfo": SignedInfoType;
  "Transform": TransformType;
  "Transforms": TransformsType;
  "X509Data": X509DataType;
}
