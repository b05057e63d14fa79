// The schema sets the generator compiles (configuration as data). Each set is one EXI grammar
// universe: its document grammar, fragment grammar and string-table start state.
export interface SchemaSetConfig {
  readonly id: string;
  readonly exportName: string;
  readonly description: string;
  /** Folder under the schemas directory, and the root files loaded from it (imports follow). */
  readonly dir: string;
  readonly roots: readonly string[];
  /**
   * Sets whose identical interfaces this set's typed model imports instead of repeating them (its
   * grammar tables stay its own: EXI grammars are per schema set). Each must come earlier in
   * GENERATION_ORDER.
   */
  readonly typesFrom?: readonly string[];
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
    typesFrom: ['xmldsig'],
  },
  {
    id: 'din',
    exportName: 'din',
    description: 'DIN SPEC 70121:2012 MsgDef',
    dir: 'din70121',
    roots: ['V2G_CI_MsgDef.xsd'],
    typesFrom: ['xmldsig'],
  },
  // ISO 15118-20: five separate schema sets, each with CommonTypes and xmldsig (exi-and-signatures.md P18).
  {
    id: 'iso-20-common',
    exportName: 'iso20Common',
    description: 'ISO 15118-20 CommonMessages',
    dir: 'iso15118-20',
    roots: ['V2G_CI_CommonMessages.xsd'],
    typesFrom: ['xmldsig'],
  },
  {
    id: 'iso-20-ac',
    exportName: 'iso20Ac',
    description: 'ISO 15118-20 AC',
    dir: 'iso15118-20',
    roots: ['V2G_CI_AC.xsd'],
    typesFrom: ['iso-20-common', 'xmldsig'],
  },
  {
    id: 'iso-20-dc',
    exportName: 'iso20Dc',
    description: 'ISO 15118-20 DC',
    dir: 'iso15118-20',
    roots: ['V2G_CI_DC.xsd'],
    typesFrom: ['iso-20-common', 'xmldsig'],
  },
  {
    id: 'iso-20-wpt',
    exportName: 'iso20Wpt',
    description: 'ISO 15118-20 WPT',
    dir: 'iso15118-20',
    roots: ['V2G_CI_WPT.xsd'],
    typesFrom: ['iso-20-common', 'xmldsig'],
  },
  {
    id: 'iso-20-acdp',
    exportName: 'iso20Acdp',
    description: 'ISO 15118-20 ACDP',
    dir: 'iso15118-20',
    roots: ['V2G_CI_ACDP.xsd'],
    typesFrom: ['iso-20-common', 'xmldsig'],
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

/**
 * Facet corrections applied on top of the XSDs, each a recorded decision. Only length facets of
 * binary types: they never change the EXI representation (a binary is length + octets), only what
 * the strict facet check accepts.
 */
export interface FacetOverride {
  readonly set: string;
  readonly ns: string;
  readonly type: string;
  readonly facets: { readonly minLength?: number; readonly maxLength?: number; readonly length?: number };
  readonly decision: string;
}

export const FACET_OVERRIDES: readonly FacetOverride[] = [
  {
    // The -20 XSD fixes dhPublicKeyType at 133 bytes (an uncompressed P-521 point), but an X448
    // ephemeral key is 56 bytes ([V2G20-2489] NOTE 7 says 57; pki-profiles.md CONFLICT C4).
    set: 'iso-20-common',
    ns: 'urn:iso:std:iso:15118:-20:CommonMessages',
    type: 'dhPublicKeyType',
    facets: { minLength: 56, maxLength: 133 },
    decision: 'D-029',
  },
  {
    // The XSD says 84 bytes (IV 12 + 56 + tag 16); an Ed448 contract private key is 57 bytes
    // (RFC 8032 §5.2.5), giving 85 (D-015).
    set: 'iso-20-common',
    ns: 'urn:iso:std:iso:15118:-20:CommonMessages',
    type: 'x448_EncryptedPrivateKeyType',
    facets: { minLength: 84, maxLength: 85 },
    decision: 'D-029',
  },
];
