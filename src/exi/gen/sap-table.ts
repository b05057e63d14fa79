// GENERATED FILE — do not edit. Regenerate with `npm run generate`.
// Generator: tools/exi-codegen v1; schema set 'sap' (SupportedAppProtocol).
// Sources (read from the shared schema directory, not part of this repository):
//   app-protocol/V2G_CI_AppProtocol.xsd sha256=4b720c6382d2f059558586701d74bc604e90053a949893326746119ff0fca136
/* biome-ignore-all format: generated */

import { ELEMENT_FRAGMENT_GRAMMAR, type SchemaTable } from '../runtime/table.ts';

export const sapTable: SchemaTable = {
  id: "sap",
  uris: ["","http://www.w3.org/XML/1998/namespace","http://www.w3.org/2001/XMLSchema-instance","http://www.w3.org/2001/XMLSchema","urn:iso:15118:2:2010:AppProtocol"],
  localNames: [
    ["AppProtocol","Priority","ProtocolNamespace","ResponseCode","SchemaID","VersionNumberMajor","VersionNumberMinor"],
    ["base","id","lang","space"],
    ["nil","type"],
    ["ENTITIES","ENTITY","ID","IDREF","IDREFS","NCName","NMTOKEN","NMTOKENS","NOTATION","Name","QName","anySimpleType","anyType","anyURI","base64Binary","boolean","byte","date","dateTime","decimal","double","duration","float","gDay","gMonth","gMonthDay","gYear","gYearMonth","hexBinary","int","integer","language","long","negativeInteger","nonNegativeInteger","nonPositiveInteger","normalizedString","positiveInteger","short","string","time","token","unsignedByte","unsignedInt","unsignedLong","unsignedShort"],
    ["AppProtocolType","idType","priorityType","protocolNameType","protocolNamespaceType","responseCodeType","supportedAppProtocolReq","supportedAppProtocolRes"],
  ],
  qnames: [
    [0,"ProtocolNamespace"], [0,"VersionNumberMajor"], [0,"VersionNumberMinor"], [0,"SchemaID"], [0,"Priority"], [0,"AppProtocol"], [0,"ResponseCode"], [4,"supportedAppProtocolReq"],
    [4,"supportedAppProtocolRes"],
  ],
  simpleTypes: [
    {"name":"protocolNamespaceType","kind":"string","maxLength":100},
    {"name":"unsignedInt","kind":"unsigned","min":"0","max":"4294967295"},
    {"name":"idType","kind":"nbit","width":8,"min":"0","max":"255"},
    {"name":"priorityType","kind":"nbit","width":5,"min":"1","max":"20"},
    {"name":"responseCodeType","kind":"enum","width":2,"values":["OK_SuccessfulNegotiation","OK_SuccessfulNegotiationWithMinorDeviation","Failed_NoNegotiation"],"base":"string"},
  ],
  types: [
  { name: "AnyType", attributes: [], children: [], simpleContent: -1, mixed: true, states: [[2,-1,0,5,-1,1,6,-1,-1,7,-1,0], [5,-1,1,6,-1,-1,7,-1,1]] },
  { name: "AppProtocolType", attributes: [], children: [[0,-1,0], [1,-2,0], [2,-2,0], [3,-3,0], [4,-4,0]], simpleContent: -1, mixed: false, states: [[3,0,1], [3,1,2], [3,2,3], [3,3,4], [3,4,5], [6,-1,-1]] },
  { name: "supportedAppProtocolReqType", attributes: [], children: [[5,1,1]], simpleContent: -1, mixed: false, states: [[3,0,1], [3,0,1,6,-1,-1], [6,-1,-1]], loops: [[1,0,19,2]] },
  { name: "supportedAppProtocolResType", attributes: [], children: [[6,-5,0], [3,-3,0]], simpleContent: -1, mixed: false, states: [[3,0,1], [3,1,2,6,-1,-1], [6,-1,-1]] },
  ],
  globalElements: [[7,2], [8,3]],
  fragmentElements: [
    [5,1], [4,-4], [0,-1], [6,-5], [3,-3], [1,-2], [2,-2], [7,2], [8,3],
  ],
  fragmentAttributes: [],
};
