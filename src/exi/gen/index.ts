// GENERATED FILE — do not edit. Regenerate with `npm run generate`.
export { sapTable } from './sap-table.ts';
export type * as sap from './sap-types.ts';
export { iso2Table } from './iso-2-table.ts';
export type * as iso2 from './iso-2-types.ts';
export { xmldsigTable } from './xmldsig-table.ts';
export type * as xmldsig from './xmldsig-types.ts';
