// The schema sets the generator compiles (configuration as data). Each set is one EXI grammar
// universe: its document grammar, fragment grammar and string-table start state.
export interface SchemaSetConfig {
  readonly id: string;
  readonly exportName: string;
  readonly description: string;
  /** Folder under the schemas directory, and the root files loaded from it (imports follow). */
  readonly dir: string;
  readonly roots: readonly string[];
}

export const SCHEMA_SETS: readonly SchemaSetConfig[] = [
  {
    id: 'sap',
    exportName: 'sap',
    description: 'SupportedAppProtocol',
    dir: 'app-protocol',
    roots: ['V2G_CI_AppProtocol.xsd'],
  },
  {
    id: 'iso-2',
    exportName: 'iso2',
    description: 'ISO 15118-2:2013 MsgDef',
    dir: 'iso15118-2',
    roots: ['V2G_CI_MsgDef.xsd'],
  },
  {
    id: 'din',
    exportName: 'din',
    description: 'DIN SPEC 70121:2012 MsgDef',
    dir: 'din70121',
    roots: ['V2G_CI_MsgDef.xsd'],
  },
  // ISO 15118-20: five separate schema sets, each with CommonTypes and xmldsig (exi-and-signatures.md P18).
  {
    id: 'iso-20-common',
    exportName: 'iso20Common',
    description: 'ISO 15118-20 CommonMessages',
    dir: 'iso15118-20',
    roots: ['V2G_CI_CommonMessages.xsd'],
  },
  {
    id: 'iso-20-ac',
    exportName: 'iso20Ac',
    description: 'ISO 15118-20 AC',
    dir: 'iso15118-20',
    roots: ['V2G_CI_AC.xsd'],
  },
  {
    id: 'iso-20-dc',
    exportName: 'iso20Dc',
    description: 'ISO 15118-20 DC',
    dir: 'iso15118-20',
    roots: ['V2G_CI_DC.xsd'],
  },
  {
    id: 'iso-20-wpt',
    exportName: 'iso20Wpt',
    description: 'ISO 15118-20 WPT',
    dir: 'iso15118-20',
    roots: ['V2G_CI_WPT.xsd'],
  },
  {
    id: 'iso-20-acdp',
    exportName: 'iso20Acdp',
    description: 'ISO 15118-20 ACDP',
    dir: 'iso15118-20',
    roots: ['V2G_CI_ACDP.xsd'],
  },
  // ISO 15118-2 Annex J.4: SignedInfo is encoded with the grammar of the xmldsig schema alone.
  {
    id: 'xmldsig',
    exportName: 'xmldsig',
    description: 'W3C xmldsig-core alone',
    dir: 'iso15118-2',
    roots: ['xmldsig-core-schema.xsd'],
  },
];
