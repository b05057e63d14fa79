// GENERATED FILE — do not edit. Regenerate with `npm run generate`.
export { sapTable } from './sap-table.ts';
export type * as sap from './sap-types.ts';
export { iso2Table } from './iso-2-table.ts';
export type * as iso2 from './iso-2-types.ts';
export { dinTable } from './din-table.ts';
export type * as din from './din-types.ts';
export { iso20CommonTable } from './iso-20-common-table.ts';
export type * as iso20Common from './iso-20-common-types.ts';
export { iso20AcTable } from './iso-20-ac-table.ts';
export type * as iso20Ac from './iso-20-ac-types.ts';
export { iso20DcTable } from './iso-20-dc-table.ts';
export type * as iso20Dc from './iso-20-dc-types.ts';
export { iso20WptTable } from './iso-20-wpt-table.ts';
export type * as iso20Wpt from './iso-20-wpt-types.ts';
export { iso20AcdpTable } from './iso-20-acdp-table.ts';
export type * as iso20Acdp from './iso-20-acdp-types.ts';
export { xmldsigTable } from './xmldsig-table.ts';
export type * as xmldsig from './xmldsig-types.ts';
