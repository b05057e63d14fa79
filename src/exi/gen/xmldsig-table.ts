// GENERATED FILE — do not edit. Regenerate with `npm run generate`.
// Generator: tools/exi-codegen v1; schema set 'xmldsig' (W3C xmldsig-core alone).
// Sources (read from the shared schema directory, not part of this repository):
//   iso15118-2/xmldsig-core-schema.xsd sha256=888e0823243920b421304016ef5eef74bed5a8f083605bf8e6a609f43bc5c3b8
/* biome-ignore-all format: generated */

import { ELEMENT_FRAGMENT_GRAMMAR, type SchemaTable } from '../runtime/table.ts';

export const xmldsigTable: SchemaTable = {
  id: "xmldsig",
  uris: ["","http://www.w3.org/XML/1998/namespace","http://www.w3.org/2001/XMLSchema-instance","http://www.w3.org/2001/XMLSchema","http://www.w3.org/2000/09/xmldsig#"],
  localNames: [
    ["Algorithm","Encoding","Id","MimeType","Target","Type","URI"],
    ["base","id","lang","space"],
    ["nil","type"],
    ["ENTITIES","ENTITY","ID","IDREF","IDREFS","NCName","NMTOKEN","NMTOKENS","NOTATION","Name","QName","anySimpleType","anyType","anyURI","base64Binary","boolean","byte","date","dateTime","decimal","double","duration","float","gDay","gMonth","gMonthDay","gYear","gYearMonth","hexBinary","int","integer","language","long","negativeInteger","nonNegativeInteger","nonPositiveInteger","normalizedString","positiveInteger","short","string","time","token","unsignedByte","unsignedInt","unsignedLong","unsignedShort"],
    ["CanonicalizationMethod","CanonicalizationMethodType","CryptoBinary","DSAKeyValue","DSAKeyValueType","DigestMethod","DigestMethodType","DigestValue","DigestValueType","Exponent","G","HMACOutputLength","HMACOutputLengthType","J","KeyInfo","KeyInfoType","KeyName","KeyValue","KeyValueType","Manifest","ManifestType","MgmtData","Modulus","Object","ObjectType","P","PGPData","PGPDataType","PGPKeyID","PGPKeyPacket","PgenCounter","Q","RSAKeyValue","RSAKeyValueType","Reference","ReferenceType","RetrievalMethod","RetrievalMethodType","SPKIData","SPKIDataType","SPKISexp","Seed","Signature","SignatureMethod","SignatureMethodType","SignatureProperties","SignaturePropertiesType","SignatureProperty","SignaturePropertyType","SignatureType","SignatureValue","SignatureValueType","SignedInfo","SignedInfoType","Transform","TransformType","Transforms","TransformsType","X509CRL","X509Certificate","X509Data","X509DataType","X509IssuerName","X509IssuerSerial","X509IssuerSerialType","X509SKI","X509SerialNumber","X509SubjectName","XPath","Y"],
  ],
  qnames: [
    [0,"Algorithm"], [4,"P"], [4,"Q"], [4,"G"], [4,"Y"], [4,"J"], [4,"Seed"], [4,"PgenCounter"],
    [0,"Id"], [4,"KeyName"], [4,"KeyValue"], [4,"RetrievalMethod"], [4,"X509Data"], [4,"PGPData"], [4,"SPKIData"], [4,"MgmtData"],
    [4,"DSAKeyValue"], [4,"RSAKeyValue"], [4,"Reference"], [0,"Encoding"], [0,"MimeType"], [4,"PGPKeyID"], [4,"PGPKeyPacket"], [4,"Modulus"],
    [4,"Exponent"], [0,"Type"], [0,"URI"], [4,"Transforms"], [4,"DigestMethod"], [4,"DigestValue"], [4,"SPKISexp"], [4,"HMACOutputLength"],
    [4,"SignatureProperty"], [0,"Target"], [4,"SignedInfo"], [4,"SignatureValue"], [4,"KeyInfo"], [4,"Object"], [4,"CanonicalizationMethod"], [4,"SignatureMethod"],
    [4,"XPath"], [4,"Transform"], [4,"X509IssuerSerial"], [4,"X509SKI"], [4,"X509SubjectName"], [4,"X509Certificate"], [4,"X509CRL"], [4,"X509IssuerName"],
    [4,"X509SerialNumber"], [4,"Manifest"], [4,"Signature"], [4,"SignatureProperties"],
  ],
  simpleTypes: [
    {"name":"anyURI","kind":"string"},
    {"name":"CryptoBinary","kind":"binary","encoding":"base64"},
    {"name":"ID","kind":"string"},
    {"name":"string","kind":"string"},
    {"name":"base64Binary","kind":"binary","encoding":"base64"},
    {"name":"DigestValueType","kind":"binary","encoding":"base64"},
    {"name":"HMACOutputLengthType","kind":"integer","big":true},
    {"name":"integer","kind":"integer","big":true},
  ],
  types: [
  { name: "AnyType", attributes: [], children: [], simpleContent: -1, mixed: true, states: [[2,-1,0,5,-1,1,6,-1,-1,7,-1,0], [5,-1,1,6,-1,-1,7,-1,1]] },
  { name: "CanonicalizationMethodType", attributes: [[0,0,1]], children: [], simpleContent: -1, mixed: true, states: [[0,0,1], [5,-1,2,6,-1,-1,7,-1,1], [5,-1,2,6,-1,-1,7,-1,2]] },
  { name: "DSAKeyValueType", attributes: [], children: [[1,-2,0], [2,-2,0], [3,-2,0], [4,-2,0], [5,-2,0], [6,-2,0], [7,-2,0]], simpleContent: -1, mixed: false, states: [[3,0,1,3,2,2,3,3,3], [3,1,4], [3,3,3], [3,4,5,3,5,6,6,-1,-1], [3,2,2,3,3,3], [3,5,6,6,-1,-1], [3,6,7], [6,-1,-1]] },
  { name: "DigestMethodType", attributes: [[0,0,1]], children: [], simpleContent: -1, mixed: true, states: [[0,0,1], [5,-1,2,6,-1,-1,7,-1,1], [5,-1,2,6,-1,-1,7,-1,2]] },
  { name: "KeyInfoType", attributes: [[8,2,0]], children: [[9,-4,1], [10,5,1], [11,11,1], [12,21,1], [13,8,1], [14,12,1], [15,-4,1]], simpleContent: -1, mixed: true, states: [[0,0,1,3,0,2,3,1,2,3,2,2,3,3,2,3,4,2,3,5,2,3,6,2,5,-1,2,7,-1,0], [3,0,2,3,1,2,3,2,2,3,3,2,3,4,2,3,5,2,3,6,2,5,-1,2,7,-1,1], [3,0,2,3,1,2,3,2,2,3,3,2,3,4,2,3,5,2,3,6,2,5,-1,2,6,-1,-1,7,-1,2]] },
  { name: "KeyValueType", attributes: [], children: [[16,2,0], [17,9,0]], simpleContent: -1, mixed: true, states: [[3,0,1,3,1,1,5,-1,1,7,-1,0], [6,-1,-1,7,-1,1]] },
  { name: "ManifestType", attributes: [[8,2,0]], children: [[18,10,1]], simpleContent: -1, mixed: false, states: [[0,0,1,3,0,2], [3,0,2], [3,0,2,6,-1,-1]] },
  { name: "ObjectType", attributes: [[19,0,0], [8,2,0], [20,3,0]], children: [], simpleContent: -1, mixed: true, states: [[0,0,1,0,1,2,0,2,3,5,-1,3,6,-1,-1,7,-1,0], [0,1,2,0,2,3,5,-1,3,6,-1,-1,7,-1,1], [0,2,3,5,-1,3,6,-1,-1,7,-1,2], [5,-1,3,6,-1,-1,7,-1,3]] },
  { name: "PGPDataType", attributes: [], children: [[21,-5,0], [22,-5,0]], simpleContent: -1, mixed: false, states: [[3,0,1,3,1,2], [3,1,3,5,-1,3,6,-1,-1], [5,-1,2,6,-1,-1], [5,-1,3,6,-1,-1]] },
  { name: "RSAKeyValueType", attributes: [], children: [[23,-2,0], [24,-2,0]], simpleContent: -1, mixed: false, states: [[3,0,1], [3,1,2], [6,-1,-1]] },
  { name: "ReferenceType", attributes: [[8,2,0], [25,0,0], [26,0,0]], children: [[27,20,0], [28,3,0], [29,-6,0]], simpleContent: -1, mixed: false, states: [[0,0,1,0,1,2,0,2,3,3,0,4,3,1,5], [0,1,2,0,2,3,3,0,4,3,1,5], [0,2,3,3,0,4,3,1,5], [3,0,4,3,1,5], [3,1,5], [3,2,6], [6,-1,-1]] },
  { name: "RetrievalMethodType", attributes: [[25,0,0], [26,0,0]], children: [[27,20,0]], simpleContent: -1, mixed: false, states: [[0,0,1,0,1,2,3,0,3,6,-1,-1], [0,1,2,3,0,3,6,-1,-1], [3,0,3,6,-1,-1], [6,-1,-1]] },
  { name: "SPKIDataType", attributes: [], children: [[30,-5,1]], simpleContent: -1, mixed: false, states: [[3,0,1], [3,0,2,5,-1,3,6,-1,-1], [3,0,2,5,-1,3,6,-1,-1], [3,0,2,6,-1,-1]] },
  { name: "SignatureMethodType", attributes: [[0,0,1]], children: [[31,-7,0]], simpleContent: -1, mixed: true, states: [[0,0,1], [3,0,2,5,-1,2,6,-1,-1,7,-1,1], [5,-1,2,6,-1,-1,7,-1,2]] },
  { name: "SignaturePropertiesType", attributes: [[8,2,0]], children: [[32,15,1]], simpleContent: -1, mixed: false, states: [[0,0,1,3,0,2], [3,0,2], [3,0,2,6,-1,-1]] },
  { name: "SignaturePropertyType", attributes: [[8,2,0], [33,0,1]], children: [], simpleContent: -1, mixed: true, states: [[0,0,1,0,1,2], [0,1,2], [5,-1,3,7,-1,2], [5,-1,3,6,-1,-1,7,-1,3]] },
  { name: "SignatureType", attributes: [[8,2,0]], children: [[34,18,0], [35,17,0], [36,4,0], [37,7,1]], simpleContent: -1, mixed: false, states: [[0,0,1,3,0,2], [3,0,2], [3,1,3], [3,2,4,3,3,4,6,-1,-1], [3,3,4,6,-1,-1]] },
  { name: "SignatureValueType", attributes: [[8,2,0]], children: [], simpleContent: 4, mixed: false, states: [[0,0,1,7,4,2], [7,4,2], [6,-1,-1]] },
  { name: "SignedInfoType", attributes: [[8,2,0]], children: [[38,1,0], [39,13,0], [18,10,1]], simpleContent: -1, mixed: false, states: [[0,0,1,3,0,2], [3,0,2], [3,1,3], [3,2,4], [3,2,4,6,-1,-1]] },
  { name: "TransformType", attributes: [[0,0,1]], children: [[40,-4,1]], simpleContent: -1, mixed: true, states: [[0,0,1], [3,0,1,5,-1,1,6,-1,-1,7,-1,1]] },
  { name: "TransformsType", attributes: [], children: [[41,19,1]], simpleContent: -1, mixed: false, states: [[3,0,1], [3,0,1,6,-1,-1]] },
  { name: "X509DataType", attributes: [], children: [[42,22,1], [43,-5,1], [44,-4,1], [45,-5,1], [46,-5,1]], simpleContent: -1, mixed: false, states: [[3,0,1,3,1,1,3,2,1,3,3,1,3,4,1,5,-1,1], [3,0,1,3,1,1,3,2,1,3,3,1,3,4,1,5,-1,1,6,-1,-1]] },
  { name: "X509IssuerSerialType", attributes: [], children: [[47,-4,0], [48,-8,0]], simpleContent: -1, mixed: false, states: [[3,0,1], [3,1,2], [6,-1,-1]] },
  ],
  globalElements: [[38,1], [16,2], [28,3], [29,-6], [36,4], [9,-4], [10,5], [49,6], [15,-4], [37,7], [13,8], [17,9], [18,10], [11,11], [14,12], [50,16], [39,13], [51,14], [32,15], [35,17], [34,18], [41,19], [27,20], [12,21]],
  fragmentElements: [
    [38,1], [16,2], [28,3], [29,-6], [24,-2], [3,-2], [31,-7], [5,-2], [36,4], [9,-4], [10,5], [49,6],
    [15,-4], [23,-2], [37,7], [1,-2], [13,8], [21,-5], [22,-5], [7,-2], [2,-2], [17,9], [18,10], [11,11],
    [14,12], [30,-5], [6,-2], [50,16], [39,13], [51,14], [32,15], [35,17], [34,18], [41,19], [27,20], [46,-5],
    [45,-5], [12,21], [47,-4], [42,22], [43,-5], [48,-8], [44,-4], [40,-4], [4,-2],
  ],
  fragmentAttributes: [[0,-1], [19,-1], [8,-3], [20,-4], [33,-1], [25,-1], [26,-1]],
};
