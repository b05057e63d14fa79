// Public surface of the Certificate Provisioning Service (docs/cps.md): the signed contract data
// builders of both editions (pure), the service, its route module.

export * from './contract-data.ts';
export * from './contract-data-20.ts';
export { type CpsRoutesDeps, cpsRoutes } from './routes.ts';
export {
  CpsService,
  type CpsServiceDeps,
  type CpsSignerView,
  type GenerateContractDataRequest,
  type SignContractDataRequest,
  type SignedContractResult,
} from './service.ts';
export { type CpsSigner, normaliseFingerprint } from './signers.ts';
