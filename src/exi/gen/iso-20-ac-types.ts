// GENERATED FILE — do not edit. Regenerate with `npm run generate`.
// Generator: tools/exi-codegen v1; schema set 'iso-20-ac' (ISO 15118-20 AC).
// Sources (read from the shared schema directory, not part of this repository):
//   iso15118-20/V2G_CI_AC.xsd sha256=3a67df5893f446060ef112c09818c7bf59dc1d3f9ec3b7a194e7616e59c0eaba
//   iso15118-20/V2G_CI_CommonTypes.xsd sha256=3a1e442fcf4dba9c9c2a3125ba133b853bad02931a989b4eec7f8bdd66d904fe
//   iso15118-20/xmldsig-core-schema.xsd sha256=35cf8197da812c85e40d57891b35c94187569ed474a2dac813ce5090dafcd35c
/* biome-ignore-all format: generated */

// Typed message model: one interface per complex type. Attributes and child elements are
// properties named by their local name; repeated children are arrays; simple content is `$value`.
// Interfaces identical to those of another schema set are imported from it, not repeated.
import type { CLReqControlModeType, CLResControlModeType, ChargeLoopReqType, ChargeLoopResType, ChargeParameterDiscoveryReqType, ChargeParameterDiscoveryResType, DetailedCostType, DetailedTaxType, DisplayParametersType, Dynamic_CLReqControlModeType, Dynamic_CLResControlModeType, EVSEStatusType, ListOfRootCertificateIDsType, MessageHeaderType, MeterInfoType, RationalNumberType, ReceiptType, Scheduled_CLReqControlModeType, Scheduled_CLResControlModeType, V2GMessageType, V2GRequestType, V2GResponseType } from './iso-20-common-types.ts';
export type { CLReqControlModeType, CLResControlModeType, ChargeLoopReqType, ChargeLoopResType, ChargeParameterDiscoveryReqType, ChargeParameterDiscoveryResType, DetailedCostType, DetailedTaxType, DisplayParametersType, Dynamic_CLReqControlModeType, Dynamic_CLResControlModeType, EVSEStatusType, ListOfRootCertificateIDsType, MessageHeaderType, MeterInfoType, RationalNumberType, ReceiptType, Scheduled_CLReqControlModeType, Scheduled_CLResControlModeType, V2GMessageType, V2GRequestType, V2GResponseType } from './iso-20-common-types.ts';
import type { AnyType, CanonicalizationMethodType, DSAKeyValueType, DigestMethodType, KeyInfoType, KeyValueType, ManifestType, ObjectType, PGPDataType, RSAKeyValueType, ReferenceType, RetrievalMethodType, SPKIDataType, SignatureMethodType, SignaturePropertiesType, SignaturePropertyType, SignatureType, SignatureValueType, SignedInfoType, TransformType, TransformsType, X509DataType, X509IssuerSerialType } from './xmldsig-types.ts';
export type { AnyType, CanonicalizationMethodType, DSAKeyValueType, DigestMethodType, KeyInfoType, KeyValueType, ManifestType, ObjectType, PGPDataType, RSAKeyValueType, ReferenceType, RetrievalMethodType, SPKIDataType, SignatureMethodType, SignaturePropertiesType, SignaturePropertyType, SignatureType, SignatureValueType, SignedInfoType, TransformType, TransformsType, X509DataType, X509IssuerSerialType } from './xmldsig-types.ts';

/** {urn:iso:std:iso:15118:-20:AC}AC_CPDReqEnergyTransferModeType */
export interface AC_CPDReqEnergyTransferModeType {
  EVMaximumChargePower: RationalNumberType;
  EVMaximumChargePower_L2?: RationalNumberType;
  EVMaximumChargePower_L3?: RationalNumberType;
  EVMinimumChargePower: RationalNumberType;
  EVMinimumChargePower_L2?: RationalNumberType;
  EVMinimumChargePower_L3?: RationalNumberType;
}

/** {urn:iso:std:iso:15118:-20:AC}AC_CPDResEnergyTransferModeType */
export interface AC_CPDResEnergyTransferModeType {
  EVSEMaximumChargePower: RationalNumberType;
  EVSEMaximumChargePower_L2?: RationalNumberType;
  EVSEMaximumChargePower_L3?: RationalNumberType;
  EVSEMinimumChargePower: RationalNumberType;
  EVSEMinimumChargePower_L2?: RationalNumberType;
  EVSEMinimumChargePower_L3?: RationalNumberType;
  EVSENominalFrequency: RationalNumberType;
  MaximumPowerAsymmetry?: RationalNumberType;
  EVSEPowerRampLimitation?: RationalNumberType;
  EVSEPresentActivePower?: RationalNumberType;
  EVSEPresentActivePower_L2?: RationalNumberType;
  EVSEPresentActivePower_L3?: RationalNumberType;
}

/** {urn:iso:std:iso:15118:-20:AC}AC_ChargeLoopReqType */
export interface AC_ChargeLoopReqType {
  Header: MessageHeaderType;
  DisplayParameters?: DisplayParametersType;
  MeterInfoRequested: boolean;
  CLReqControlMode?: CLReqControlModeType;
  BPT_Dynamic_AC_CLReqControlMode?: BPT_Dynamic_AC_CLReqControlModeType;
  Dynamic_AC_CLReqControlMode?: Dynamic_AC_CLReqControlModeType;
  BPT_Scheduled_AC_CLReqControlMode?: BPT_Scheduled_AC_CLReqControlModeType;
  Scheduled_AC_CLReqControlMode?: Scheduled_AC_CLReqControlModeType;
}

/** {urn:iso:std:iso:15118:-20:AC}AC_ChargeLoopResType */
export interface AC_ChargeLoopResType {
  Header: MessageHeaderType;
  ResponseCode: "OK" | "OK_CertificateExpiresSoon" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_PowerToleranceConfirmed" | "WARNING_AuthorizationSelectionInvalid" | "WARNING_CertificateExpired" | "WARNING_CertificateNotYetValid" | "WARNING_CertificateRevoked" | "WARNING_CertificateValidationError" | "WARNING_ChallengeInvalid" | "WARNING_EIMAuthorizationFailure" | "WARNING_eMSPUnknown" | "WARNING_EVPowerProfileViolation" | "WARNING_GeneralPnCAuthorizationError" | "WARNING_NoCertificateAvailable" | "WARNING_NoContractMatchingPCIDFound" | "WARNING_PowerToleranceNotConfirmed" | "WARNING_ScheduleRenegotiationFailed" | "WARNING_StandbyNotAllowed" | "WARNING_WPT" | "FAILED" | "FAILED_AssociationError" | "FAILED_ContactorError" | "FAILED_EVPowerProfileInvalid" | "FAILED_EVPowerProfileViolation" | "FAILED_MeteringSignatureNotValid" | "FAILED_NoEnergyTransferServiceSelected" | "FAILED_NoServiceRenegotiationSupported" | "FAILED_PauseNotAllowed" | "FAILED_PowerDeliveryNotApplied" | "FAILED_PowerToleranceNotConfirmed" | "FAILED_ScheduleRenegotiation" | "FAILED_ScheduleSelectionInvalid" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_ServiceSelectionInvalid" | "FAILED_SignatureError" | "FAILED_UnknownSession" | "FAILED_WrongChargeParameter";
  EVSEStatus?: EVSEStatusType;
  MeterInfo?: MeterInfoType;
  Receipt?: ReceiptType;
  EVSETargetFrequency?: RationalNumberType;
  CLResControlMode?: CLResControlModeType;
  BPT_Dynamic_AC_CLResControlMode?: BPT_Dynamic_AC_CLResControlModeType;
  Dynamic_AC_CLResControlMode?: Dynamic_AC_CLResControlModeType;
  BPT_Scheduled_AC_CLResControlMode?: BPT_Scheduled_AC_CLResControlModeType;
  Scheduled_AC_CLResControlMode?: Scheduled_AC_CLResControlModeType;
}

/** {urn:iso:std:iso:15118:-20:AC}AC_ChargeParameterDiscoveryReqType */
export interface AC_ChargeParameterDiscoveryReqType {
  Header: MessageHeaderType;
  AC_CPDReqEnergyTransferMode?: AC_CPDReqEnergyTransferModeType;
  BPT_AC_CPDReqEnergyTransferMode?: BPT_AC_CPDReqEnergyTransferModeType;
}

/** {urn:iso:std:iso:15118:-20:AC}AC_ChargeParameterDiscoveryResType */
export interface AC_ChargeParameterDiscoveryResType {
  Header: MessageHeaderType;
  ResponseCode: "OK" | "OK_CertificateExpiresSoon" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_PowerToleranceConfirmed" | "WARNING_AuthorizationSelectionInvalid" | "WARNING_CertificateExpired" | "WARNING_CertificateNotYetValid" | "WARNING_CertificateRevoked" | "WARNING_CertificateValidationError" | "WARNING_ChallengeInvalid" | "WARNING_EIMAuthorizationFailure" | "WARNING_eMSPUnknown" | "WARNING_EVPowerProfileViolation" | "WARNING_GeneralPnCAuthorizationError" | "WARNING_NoCertificateAvailable" | "WARNING_NoContractMatchingPCIDFound" | "WARNING_PowerToleranceNotConfirmed" | "WARNING_ScheduleRenegotiationFailed" | "WARNING_StandbyNotAllowed" | "WARNING_WPT" | "FAILED" | "FAILED_AssociationError" | "FAILED_ContactorError" | "FAILED_EVPowerProfileInvalid" | "FAILED_EVPowerProfileViolation" | "FAILED_MeteringSignatureNotValid" | "FAILED_NoEnergyTransferServiceSelected" | "FAILED_NoServiceRenegotiationSupported" | "FAILED_PauseNotAllowed" | "FAILED_PowerDeliveryNotApplied" | "FAILED_PowerToleranceNotConfirmed" | "FAILED_ScheduleRenegotiation" | "FAILED_ScheduleSelectionInvalid" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_ServiceSelectionInvalid" | "FAILED_SignatureError" | "FAILED_UnknownSession" | "FAILED_WrongChargeParameter";
  AC_CPDResEnergyTransferMode?: AC_CPDResEnergyTransferModeType;
  BPT_AC_CPDResEnergyTransferMode?: BPT_AC_CPDResEnergyTransferModeType;
}

/** {urn:iso:std:iso:15118:-20:AC}BPT_AC_CPDReqEnergyTransferModeType */
export interface BPT_AC_CPDReqEnergyTransferModeType {
  EVMaximumChargePower: RationalNumberType;
  EVMaximumChargePower_L2?: RationalNumberType;
  EVMaximumChargePower_L3?: RationalNumberType;
  EVMinimumChargePower: RationalNumberType;
  EVMinimumChargePower_L2?: RationalNumberType;
  EVMinimumChargePower_L3?: RationalNumberType;
  EVMaximumDischargePower: RationalNumberType;
  EVMaximumDischargePower_L2?: RationalNumberType;
  EVMaximumDischargePower_L3?: RationalNumberType;
  EVMinimumDischargePower: RationalNumberType;
  EVMinimumDischargePower_L2?: RationalNumberType;
  EVMinimumDischargePower_L3?: RationalNumberType;
}

/** {urn:iso:std:iso:15118:-20:AC}BPT_AC_CPDResEnergyTransferModeType */
export interface BPT_AC_CPDResEnergyTransferModeType {
  EVSEMaximumChargePower: RationalNumberType;
  EVSEMaximumChargePower_L2?: RationalNumberType;
  EVSEMaximumChargePower_L3?: RationalNumberType;
  EVSEMinimumChargePower: RationalNumberType;
  EVSEMinimumChargePower_L2?: RationalNumberType;
  EVSEMinimumChargePower_L3?: RationalNumberType;
  EVSENominalFrequency: RationalNumberType;
  MaximumPowerAsymmetry?: RationalNumberType;
  EVSEPowerRampLimitation?: RationalNumberType;
  EVSEPresentActivePower?: RationalNumberType;
  EVSEPresentActivePower_L2?: RationalNumberType;
  EVSEPresentActivePower_L3?: RationalNumberType;
  EVSEMaximumDischargePower: RationalNumberType;
  EVSEMaximumDischargePower_L2?: RationalNumberType;
  EVSEMaximumDischargePower_L3?: RationalNumberType;
  EVSEMinimumDischargePower: RationalNumberType;
  EVSEMinimumDischargePower_L2?: RationalNumberType;
  EVSEMinimumDischargePower_L3?: RationalNumberType;
}

/** {urn:iso:std:iso:15118:-20:AC}BPT_Dynamic_AC_CLReqControlModeType */
export interface BPT_Dynamic_AC_CLReqControlModeType {
  DepartureTime?: number;
  EVTargetEnergyRequest: RationalNumberType;
  EVMaximumEnergyRequest: RationalNumberType;
  EVMinimumEnergyRequest: RationalNumberType;
  EVMaximumChargePower: RationalNumberType;
  EVMaximumChargePower_L2?: RationalNumberType;
  EVMaximumChargePower_L3?: RationalNumberType;
  EVMinimumChargePower: RationalNumberType;
  EVMinimumChargePower_L2?: RationalNumberType;
  EVMinimumChargePower_L3?: RationalNumberType;
  EVPresentActivePower: RationalNumberType;
  EVPresentActivePower_L2?: RationalNumberType;
  EVPresentActivePower_L3?: RationalNumberType;
  EVPresentReactivePower: RationalNumberType;
  EVPresentReactivePower_L2?: RationalNumberType;
  EVPresentReactivePower_L3?: RationalNumberType;
  EVMaximumDischargePower: RationalNumberType;
  EVMaximumDischargePower_L2?: RationalNumberType;
  EVMaximumDischargePower_L3?: RationalNumberType;
  EVMinimumDischargePower: RationalNumberType;
  EVMinimumDischargePower_L2?: RationalNumberType;
  EVMinimumDischargePower_L3?: RationalNumberType;
  EVMaximumV2XEnergyRequest?: RationalNumberType;
  EVMinimumV2XEnergyRequest?: RationalNumberType;
}

/** {urn:iso:std:iso:15118:-20:AC}BPT_Dynamic_AC_CLResControlModeType */
export interface BPT_Dynamic_AC_CLResControlModeType {
  DepartureTime?: number;
  MinimumSOC?: number;
  TargetSOC?: number;
  AckMaxDelay?: number;
  EVSETargetActivePower: RationalNumberType;
  EVSETargetActivePower_L2?: RationalNumberType;
  EVSETargetActivePower_L3?: RationalNumberType;
  EVSETargetReactivePower?: RationalNumberType;
  EVSETargetReactivePower_L2?: RationalNumberType;
  EVSETargetReactivePower_L3?: RationalNumberType;
  EVSEPresentActivePower?: RationalNumberType;
  EVSEPresentActivePower_L2?: RationalNumberType;
  EVSEPresentActivePower_L3?: RationalNumberType;
}

/** {urn:iso:std:iso:15118:-20:AC}BPT_Scheduled_AC_CLReqControlModeType */
export interface BPT_Scheduled_AC_CLReqControlModeType {
  EVTargetEnergyRequest?: RationalNumberType;
  EVMaximumEnergyRequest?: RationalNumberType;
  EVMinimumEnergyRequest?: RationalNumberType;
  EVMaximumChargePower?: RationalNumberType;
  EVMaximumChargePower_L2?: RationalNumberType;
  EVMaximumChargePower_L3?: RationalNumberType;
  EVMinimumChargePower?: RationalNumberType;
  EVMinimumChargePower_L2?: RationalNumberType;
  EVMinimumChargePower_L3?: RationalNumberType;
  EVPresentActivePower: RationalNumberType;
  EVPresentActivePower_L2?: RationalNumberType;
  EVPresentActivePower_L3?: RationalNumberType;
  EVPresentReactivePower?: RationalNumberType;
  EVPresentReactivePower_L2?: RationalNumberType;
  EVPresentReactivePower_L3?: RationalNumberType;
  EVMaximumDischargePower?: RationalNumberType;
  EVMaximumDischargePower_L2?: RationalNumberType;
  EVMaximumDischargePower_L3?: RationalNumberType;
  EVMinimumDischargePower?: RationalNumberType;
  EVMinimumDischargePower_L2?: RationalNumberType;
  EVMinimumDischargePower_L3?: RationalNumberType;
}

/** {urn:iso:std:iso:15118:-20:AC}BPT_Scheduled_AC_CLResControlModeType */
export interface BPT_Scheduled_AC_CLResControlModeType {
  EVSETargetActivePower?: RationalNumberType;
  EVSETargetActivePower_L2?: RationalNumberType;
  EVSETargetActivePower_L3?: RationalNumberType;
  EVSETargetReactivePower?: RationalNumberType;
  EVSETargetReactivePower_L2?: RationalNumberType;
  EVSETargetReactivePower_L3?: RationalNumberType;
  EVSEPresentActivePower?: RationalNumberType;
  EVSEPresentActivePower_L2?: RationalNumberType;
  EVSEPresentActivePower_L3?: RationalNumberType;
}

/** {urn:iso:std:iso:15118:-20:AC}Dynamic_AC_CLReqControlModeType */
export interface Dynamic_AC_CLReqControlModeType {
  DepartureTime?: number;
  EVTargetEnergyRequest: RationalNumberType;
  EVMaximumEnergyRequest: RationalNumberType;
  EVMinimumEnergyRequest: RationalNumberType;
  EVMaximumChargePower: RationalNumberType;
  EVMaximumChargePower_L2?: RationalNumberType;
  EVMaximumChargePower_L3?: RationalNumberType;
  EVMinimumChargePower: RationalNumberType;
  EVMinimumChargePower_L2?: RationalNumberType;
  EVMinimumChargePower_L3?: RationalNumberType;
  EVPresentActivePower: RationalNumberType;
  EVPresentActivePower_L2?: RationalNumberType;
  EVPresentActivePower_L3?: RationalNumberType;
  EVPresentReactivePower: RationalNumberType;
  EVPresentReactivePower_L2?: RationalNumberType;
  EVPresentReactivePower_L3?: RationalNumberType;
}

/** {urn:iso:std:iso:15118:-20:AC}Dynamic_AC_CLResControlModeType */
export interface Dynamic_AC_CLResControlModeType {
  DepartureTime?: number;
  MinimumSOC?: number;
  TargetSOC?: number;
  AckMaxDelay?: number;
  EVSETargetActivePower: RationalNumberType;
  EVSETargetActivePower_L2?: RationalNumberType;
  EVSETargetActivePower_L3?: RationalNumberType;
  EVSETargetReactivePower?: RationalNumberType;
  EVSETargetReactivePower_L2?: RationalNumberType;
  EVSETargetReactivePower_L3?: RationalNumberType;
  EVSEPresentActivePower?: RationalNumberType;
  EVSEPresentActivePower_L2?: RationalNumberType;
  EVSEPresentActivePower_L3?: RationalNumberType;
}

/** {urn:iso:std:iso:15118:-20:AC}Scheduled_AC_CLReqControlModeType */
export interface Scheduled_AC_CLReqControlModeType {
  EVTargetEnergyRequest?: RationalNumberType;
  EVMaximumEnergyRequest?: RationalNumberType;
  EVMinimumEnergyRequest?: RationalNumberType;
  EVMaximumChargePower?: RationalNumberType;
  EVMaximumChargePower_L2?: RationalNumberType;
  EVMaximumChargePower_L3?: RationalNumberType;
  EVMinimumChargePower?: RationalNumberType;
  EVMinimumChargePower_L2?: RationalNumberType;
  EVMinimumChargePower_L3?: RationalNumberType;
  EVPresentActivePower: RationalNumberType;
  EVPresentActivePower_L2?: RationalNumberType;
  EVPresentActivePower_L3?: RationalNumberType;
  EVPresentReactivePower?: RationalNumberType;
  EVPresentReactivePower_L2?: RationalNumberType;
  EVPresentReactivePower_L3?: RationalNumberType;
}

/** {urn:iso:std:iso:15118:-20:AC}Scheduled_AC_CLResControlModeType */
export interface Scheduled_AC_CLResControlModeType {
  EVSETargetActivePower?: RationalNumberType;
  EVSETargetActivePower_L2?: RationalNumberType;
  EVSETargetActivePower_L3?: RationalNumberType;
  EVSETargetReactivePower?: RationalNumberType;
  EVSETargetReactivePower_L2?: RationalNumberType;
  EVSETargetReactivePower_L3?: RationalNumberType;
  EVSEPresentActivePower?: RationalNumberType;
  EVSEPresentActivePower_L2?: RationalNumberType;
  EVSEPresentActivePower_L3?: RationalNumberType;
}

/** The global elements of this schema set and the type of their content. */
export interface Iso20AcElements {
  "AC_CPDReqEnergyTransferMode": AC_CPDReqEnergyTransferModeType;
  "AC_CPDResEnergyTransferMode": AC_CPDResEnergyTransferModeType;
  "AC_ChargeLoopReq": AC_ChargeLoopReqType;
  "AC_ChargeLoopRes": AC_ChargeLoopResType;
  "AC_ChargeParameterDiscoveryReq": AC_ChargeParameterDiscoveryReqType;
  "AC_ChargeParameterDiscoveryRes": AC_ChargeParameterDiscoveryResType;
  "BPT_AC_CPDReqEnergyTransferMode": BPT_AC_CPDReqEnergyTransferModeType;
  "BPT_AC_CPDResEnergyTransferMode": BPT_AC_CPDResEnergyTransferModeType;
  "BPT_Dynamic_AC_CLReqControlMode": BPT_Dynamic_AC_CLReqControlModeType;
  "BPT_Dynamic_AC_CLResControlMode": BPT_Dynamic_AC_CLResControlModeType;
  "BPT_Scheduled_AC_CLReqControlMode": BPT_Scheduled_AC_CLReqControlModeType;
  "BPT_Scheduled_AC_CLResControlMode": BPT_Scheduled_AC_CLResControlModeType;
  "CLReqControlMode": CLReqControlModeType;
  "CLResControlMode": CLResControlModeType;
  "CanonicalizationMethod": CanonicalizationMethodType;
  "DSAKeyValue": DSAKeyValueType;
  "DigestMethod": DigestMethodType;
  "DigestValue": Uint8Array;
  "Dynamic_AC_CLReqControlMode": Dynamic_AC_CLReqControlModeType;
  "Dynamic_AC_CLResControlMode": Dynamic_AC_CLResControlModeType;
  "KeyInfo": KeyInfoType;
  "KeyName": string;
  "KeyValue": KeyValueType;
  "Manifest": ManifestType;
  "MgmtData": string;
  "Object": ObjectType;
  "PGPData": PGPDataType;
  "RSAKeyValue": RSAKeyValueType;
  "Reference": ReferenceType;
  "RetrievalMethod": RetrievalMethodType;
  "SPKIData": SPKIDataType;
  "Scheduled_AC_CLReqControlMode": Scheduled_AC_CLReqControlModeType;
  "Scheduled_AC_CLResControlMode": Scheduled_AC_CLResControlModeType;
  "Signature": SignatureType;
  "SignatureMethod": SignatureMethodType;
  "SignatureProperties": SignaturePropertiesType;
  "SignatureProperty": SignaturePropertyType;
  "SignatureValue": SignatureValueType;
  "SignedInfo": SignedInfoType;
  "Transform": TransformType;
  "Transforms": TransformsType;
  "X509Data": X509DataType;
}
