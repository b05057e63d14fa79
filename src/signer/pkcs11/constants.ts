// PKCS#11 constants used by the PKCS#11 backend, with values from the OASIS headers (pkcs11t.h,
// PKCS#11 v2.40 and v3.0). Kept here instead of read from pkcs11js so that (a) this module type-checks
// and imports without the native package, and (b) the v3.0 Edwards-curve values, which pkcs11js 2.x
// does not export, sit next to the others. pkcs11-key-store.test.ts compares the shared ones with
// pkcs11js when it is installed.

// Object classes (CKO_*)
export const CKO_PUBLIC_KEY = 0x2;
export const CKO_PRIVATE_KEY = 0x3;

// Key types (CKK_*)
export const CKK_EC = 0x3;
export const CKK_EC_EDWARDS = 0x40; // PKCS#11 v3.0 §6.3.1

// Attributes (CKA_*)
export const CKA_CLASS = 0x0;
export const CKA_TOKEN = 0x1;
export const CKA_PRIVATE = 0x2;
export const CKA_LABEL = 0x3;
export const CKA_KEY_TYPE = 0x100;
export const CKA_ID = 0x102;
export const CKA_SENSITIVE = 0x103;
export const CKA_SIGN = 0x108;
export const CKA_VERIFY = 0x10a;
export const CKA_DERIVE = 0x10c;
export const CKA_EXTRACTABLE = 0x162;
export const CKA_NEVER_EXTRACTABLE = 0x164;
export const CKA_ALWAYS_SENSITIVE = 0x165;
export const CKA_EC_PARAMS = 0x180;
export const CKA_EC_POINT = 0x181;

// Mechanisms (CKM_*)
export const CKM_EC_KEY_PAIR_GEN = 0x1040;
export const CKM_ECDSA = 0x1041;
export const CKM_EC_EDWARDS_KEY_PAIR_GEN = 0x1055; // PKCS#11 v3.0 §6.3.4
export const CKM_EDDSA = 0x1057; // PKCS#11 v3.0 §6.3.5

// Session flags, user types, initialisation flags
export const CKF_RW_SESSION = 0x2;
export const CKF_SERIAL_SESSION = 0x4;
export const CKU_USER = 1;
// pkcs11js runs the *Async calls on libuv worker threads, so the library must do its own locking
// (PKCS#11 v2.40 §5.4 C_Initialize, CK_C_INITIALIZE_ARGS.flags).
export const CKF_OS_LOCKING_OK = 0x2;
