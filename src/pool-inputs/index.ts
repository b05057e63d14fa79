// Input forms shared by the pool APIs (RCP, PCP, CPS, CCP): certificate fields and the
// xsdMsgDefNamespace field. Identifier syntax (EMAID, PCID, EVSEID) lives in src/pki/profiles.
export * from './certificate-input.ts';
export * from './iso-namespace.ts';
