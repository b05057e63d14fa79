// Certificate path validation (RFC 5280 §6.1) with ISO 15118 usage checks; see ./README.md.

export {
  type BundleResult,
  MAX_BUNDLE_BYTES,
  MAX_BUNDLE_CERTIFICATES,
  splitCertificates,
  toPem,
} from './bundle.ts';
export { pathError } from './errors.ts';
export { formatName } from './names.ts';
export type * from './types.ts';
export {
  DEFAULT_MAX_LENGTH,
  MAX_ANCHORS,
  MAX_INTERMEDIATES,
  MAX_PATH_LENGTH,
  MAX_SEARCH_STEPS,
  MAX_SIGNATURE_CHECKS,
  validatePath,
} from './validate.ts';
