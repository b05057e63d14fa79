// GENERATED FILE — do not edit. Regenerate with `npm run generate`.
// Generator: tools/exi-codegen v1; schema set 'iso-20-dc' (ISO 15118-20 DC).
// Sources (read from the shared schema directory, not part of this repository):
//   iso15118-20/V2G_CI_CommonTypes.xsd sha256=3a1e442fcf4dba9c9c2a3125ba133b853bad02931a989b4eec7f8bdd66d904fe
//   iso15118-20/V2G_CI_DC.xsd sha256=050b1393bd70c5b0f0408801c4963741e9553c34b6435070017f76dfcc708a63
//   iso15118-20/xmldsig-core-schema.xsd sha256=35cf8197da812c85e40d57891b35c94187569ed474a2dac813ce5090dafcd35c
/* biome-ignore-all format: generated */

// Typed message model: one interface per complex type. Attributes and child elements are
// properties named by their local name; repeated children are arrays; simple content is `$value`.
// Interfaces identical to those of another schema set are imported from it, not repeated.
import type { CLReqControlModeType, CLResControlModeType, ChargeLoopReqType, ChargeLoopResType, ChargeParameterDiscoveryReqType, ChargeParameterDiscoveryResType, DetailedCostType, DetailedTaxType, DisplayParametersType, Dynamic_CLReqControlModeType, Dynamic_CLResControlModeType, EVSEStatusType, ListOfRootCertificateIDsType, MessageHeaderType, MeterInfoType, RationalNumberType, ReceiptType, Scheduled_CLReqControlModeType, Scheduled_CLResControlModeType, V2GMessageType, V2GRequestType, V2GResponseType } from './iso-20-common-types.ts';
export type { CLReqControlModeType, CLResControlModeType, ChargeLoopReqType, ChargeLoopResType, ChargeParameterDiscoveryReqType, ChargeParameterDiscoveryResType, DetailedCostType, DetailedTaxType, DisplayParametersType, Dynamic_CLReqControlModeType, Dynamic_CLResControlModeType, EVSEStatusType, ListOfRootCertificateIDsType, MessageHeaderType, MeterInfoType, RationalNumberType, ReceiptType, Scheduled_CLReqControlModeType, Scheduled_CLResControlModeType, V2GMessageType, V2GRequestType, V2GResponseType } from './iso-20-common-types.ts';
import type { AnyType, CanonicalizationMethodType, DSAKeyValueType, DigestMethodType, KeyInfoType, KeyValueType, ManifestType, ObjectType, PGPDataType, RSAKeyValueType, ReferenceType, RetrievalMethodType, SPKIDataType, SignatureMethodType, SignaturePropertiesType, SignaturePropertyType, SignatureType, SignatureValueType, SignedInfoType, TransformType, TransformsType, X509DataType, X509IssuerSerialType } from './xmldsig-types.ts';
export type { AnyType, CanonicalizationMethodType, DSAKeyValueType, DigestMethodType, KeyInfoType, KeyValueType, ManifestType, ObjectType, PGPDataType, RSAKeyValueType, ReferenceType, RetrievalMethodType, SPKIDataType, SignatureMethodType, SignaturePropertiesType, SignaturePropertyType, SignatureType, SignatureValueType, SignedInfoType, TransformType, TransformsType, X509DataType, X509IssuerSerialType } from './xmldsig-types.ts';

/** {urn:iso:std:iso:15118:-20:DC}BPT_DC_CPDReqEnergyTransferModeType */
export interface BPT_DC_CPDReqEnergyTransferModeType {
  EVMaximumChargePower: RationalNumberType;
  EVMinimumChargePower: RationalNumberType;
  EVMaximumChargeCurrent: RationalNumberType;
  EVMinimumChargeCurrent: RationalNumberType;
  EVMaximumVoltage: RationalNumberType;
  EVMinimumVoltage: RationalNumberType;
  TargetSOC?: number;
  EVMaximumDischargePower: RationalNumberType;
  EVMinimumDischargePower: RationalNumberType;
  EVMaximumDischargeCurrent: RationalNumberType;
  EVMinimumDischargeCurrent: RationalNumberType;
}

/** {urn:iso:std:iso:15118:-20:DC}BPT_DC_CPDResEnergyTransferModeType */
export interface BPT_DC_CPDResEnergyTransferModeType {
  EVSEMaximumChargePower: RationalNumberType;
  EVSEMinimumChargePower: RationalNumberType;
  EVSEMaximumChargeCurrent: RationalNumberType;
  EVSEMinimumChargeCurrent: RationalNumberType;
  EVSEMaximumVoltage: RationalNumberType;
  EVSEMinimumVoltage: RationalNumberType;
  EVSEPowerRampLimitation?: RationalNumberType;
  EVSEMaximumDischargePower: RationalNumberType;
  EVSEMinimumDischargePower: RationalNumberType;
  EVSEMaximumDischargeCurrent: RationalNumberType;
  EVSEMinimumDischargeCurrent: RationalNumberType;
}

/** {urn:iso:std:iso:15118:-20:DC}BPT_Dynamic_DC_CLReqControlModeType */
export interface BPT_Dynamic_DC_CLReqControlModeType {
  DepartureTime?: number;
  EVTargetEnergyRequest: RationalNumberType;
  EVMaximumEnergyRequest: RationalNumberType;
  EVMinimumEnergyRequest: RationalNumberType;
  EVMaximumChargePower: RationalNumberType;
  EVMinimumChargePower: RationalNumberType;
  EVMaximumChargeCurrent: RationalNumberType;
  EVMaximumVoltage: RationalNumberType;
  EVMinimumVoltage: RationalNumberType;
  EVMaximumDischargePower: RationalNumberType;
  EVMinimumDischargePower: RationalNumberType;
  EVMaximumDischargeCurrent: RationalNumberType;
  EVMaximumV2XEnergyRequest?: RationalNumberType;
  EVMinimumV2XEnergyRequest?: RationalNumberType;
}

/** {urn:iso:std:iso:15118:-20:DC}BPT_Dynamic_DC_CLResControlModeType */
export interface BPT_Dynamic_DC_CLResControlModeType {
  DepartureTime?: number;
  MinimumSOC?: number;
  TargetSOC?: number;
  AckMaxDelay?: number;
  EVSEMaximumChargePower: RationalNumberType;
  EVSEMinimumChargePower: RationalNumberType;
  EVSEMaximumChargeCurrent: RationalNumberType;
  EVSEMaximumVoltage: RationalNumberType;
  EVSEMaximumDischargePower: RationalNumberType;
  EVSEMinimumDischargePower: RationalNumberType;
  EVSEMaximumDischargeCurrent: RationalNumberType;
  EVSEMinimumVoltage: RationalNumberType;
}

/** {urn:iso:std:iso:15118:-20:DC}BPT_Scheduled_DC_CLReqControlModeType */
export interface BPT_Scheduled_DC_CLReqControlModeType {
  EVTargetEnergyRequest?: RationalNumberType;
  EVMaximumEnergyRequest?: RationalNumberType;
  EVMinimumEnergyRequest?: RationalNumberType;
  EVTargetCurrent: RationalNumberType;
  EVTargetVoltage: RationalNumberType;
  EVMaximumChargePower?: RationalNumberType;
  EVMinimumChargePower?: RationalNumberType;
  EVMaximumChargeCurrent?: RationalNumberType;
  EVMaximumVoltage?: RationalNumberType;
  EVMinimumVoltage?: RationalNumberType;
  EVMaximumDischargePower?: RationalNumberType;
  EVMinimumDischargePower?: RationalNumberType;
  EVMaximumDischargeCurrent?: RationalNumberType;
}

/** {urn:iso:std:iso:15118:-20:DC}BPT_Scheduled_DC_CLResControlModeType */
export interface BPT_Scheduled_DC_CLResControlModeType {
  EVSEMaximumChargePower?: RationalNumberType;
  EVSEMinimumChargePower?: RationalNumberType;
  EVSEMaximumChargeCurrent?: RationalNumberType;
  EVSEMaximumVoltage?: RationalNumberType;
  EVSEMaximumDischargePower?: RationalNumberType;
  EVSEMinimumDischargePower?: RationalNumberType;
  EVSEMaximumDischargeCurrent?: RationalNumberType;
  EVSEMinimumVoltage?: RationalNumberType;
}

/** {urn:iso:std:iso:15118:-20:DC}DC_CPDReqEnergyTransferModeType */
export interface DC_CPDReqEnergyTransferModeType {
  EVMaximumChargePower: RationalNumberType;
  EVMinimumChargePower: RationalNumberType;
  EVMaximumChargeCurrent: RationalNumberType;
  EVMinimumChargeCurrent: RationalNumberType;
  EVMaximumVoltage: RationalNumberType;
  EVMinimumVoltage: RationalNumberType;
  TargetSOC?: number;
}

/** {urn:iso:std:iso:15118:-20:DC}DC_CPDResEnergyTransferModeType */
export interface DC_CPDResEnergyTransferModeType {
  EVSEMaximumChargePower: RationalNumberType;
  EVSEMinimumChargePower: RationalNumberType;
  EVSEMaximumChargeCurrent: RationalNumberType;
  EVSEMinimumChargeCurrent: RationalNumberType;
  EVSEMaximumVoltage: RationalNumberType;
  EVSEMinimumVoltage: RationalNumberType;
  EVSEPowerRampLimitation?: RationalNumberType;
}

/** {urn:iso:std:iso:15118:-20:DC}DC_CableCheckReqType */
export interface DC_CableCheckReqType {
  Header: MessageHeaderType;
}

/** {urn:iso:std:iso:15118:-20:DC}DC_CableCheckResType */
export interface DC_CableCheckResType {
  Header: MessageHeaderType;
  ResponseCode: "OK" | "OK_CertificateExpiresSoon" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_PowerToleranceConfirmed" | "WARNING_AuthorizationSelectionInvalid" | "WARNING_CertificateExpired" | "WARNING_CertificateNotYetValid" | "WARNING_CertificateRevoked" | "WARNING_CertificateValidationError" | "WARNING_ChallengeInvalid" | "WARNING_EIMAuthorizationFailure" | "WARNING_eMSPUnknown" | "WARNING_EVPowerProfileViolation" | "WARNING_GeneralPnCAuthorizationError" | "WARNING_NoCertificateAvailable" | "WARNING_NoContractMatchingPCIDFound" | "WARNING_PowerToleranceNotConfirmed" | "WARNING_ScheduleRenegotiationFailed" | "WARNING_StandbyNotAllowed" | "WARNING_WPT" | "FAILED" | "FAILED_AssociationError" | "FAILED_ContactorError" | "FAILED_EVPowerProfileInvalid" | "FAILED_EVPowerProfileViolation" | "FAILED_MeteringSignatureNotValid" | "FAILED_NoEnergyTransferServiceSelected" | "FAILED_NoServiceRenegotiationSupported" | "FAILED_PauseNotAllowed" | "FAILED_PowerDeliveryNotApplied" | "FAILED_PowerToleranceNotConfirmed" | "FAILED_ScheduleRenegotiation" | "FAILED_ScheduleSelectionInvalid" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_ServiceSelectionInvalid" | "FAILED_SignatureError" | "FAILED_UnknownSession" | "FAILED_WrongChargeParameter";
  EVSEProcessing: "Finished" | "Ongoing" | "Ongoing_WaitingForCustomerInteraction";
}

/** {urn:iso:std:iso:15118:-20:DC}DC_ChargeLoopReqType */
export interface DC_ChargeLoopReqType {
  Header: MessageHeaderType;
  DisplayParameters?: DisplayParametersType;
  MeterInfoRequested: boolean;
  EVPresentVoltage: RationalNumberType;
  CLReqControlMode?: CLReqControlModeType;
  BPT_Dynamic_DC_CLReqControlMode?: BPT_Dynamic_DC_CLReqControlModeType;
  Dynamic_DC_CLReqControlMode?: Dynamic_DC_CLReqControlModeType;
  BPT_Scheduled_DC_CLReqControlMode?: BPT_Scheduled_DC_CLReqControlModeType;
  Scheduled_DC_CLReqControlMode?: Scheduled_DC_CLReqControlModeType;
}

/** {urn:iso:std:iso:15118:-20:DC}DC_ChargeLoopResType */
export interface DC_ChargeLoopResType {
  Header: MessageHeaderType;
  ResponseCode: "OK" | "OK_CertificateExpiresSoon" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_PowerToleranceConfirmed" | "WARNING_AuthorizationSelectionInvalid" | "WARNING_CertificateExpired" | "WARNING_CertificateNotYetValid" | "WARNING_CertificateRevoked" | "WARNING_CertificateValidationError" | "WARNING_ChallengeInvalid" | "WARNING_EIMAuthorizationFailure" | "WARNING_eMSPUnknown" | "WARNING_EVPowerProfileViolation" | "WARNING_GeneralPnCAuthorizationError" | "WARNING_NoCertificateAvailable" | "WARNING_NoContractMatchingPCIDFound" | "WARNING_PowerToleranceNotConfirmed" | "WARNING_ScheduleRenegotiationFailed" | "WARNING_StandbyNotAllowed" | "WARNING_WPT" | "FAILED" | "FAILED_AssociationError" | "FAILED_ContactorError" | "FAILED_EVPowerProfileInvalid" | "FAILED_EVPowerProfileViolation" | "FAILED_MeteringSignatureNotValid" | "FAILED_NoEnergyTransferServiceSelected" | "FAILED_NoServiceRenegotiationSupported" | "FAILED_PauseNotAllowed" | "FAILED_PowerDeliveryNotApplied" | "FAILED_PowerToleranceNotConfirmed" | "FAILED_ScheduleRenegotiation" | "FAILED_ScheduleSelectionInvalid" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_ServiceSelectionInvalid" | "FAILED_SignatureError" | "FAILED_UnknownSession" | "FAILED_WrongChargeParameter";
  EVSEStatus?: EVSEStatusType;
  MeterInfo?: MeterInfoType;
  Receipt?: ReceiptType;
  EVSEPresentCurrent: RationalNumberType;
  EVSEPresentVoltage: RationalNumberType;
  EVSEPowerLimitAchieved: boolean;
  EVSECurrentLimitAchieved: boolean;
  EVSEVoltageLimitAchieved: boolean;
  CLResControlMode?: CLResControlModeType;
  BPT_Dynamic_DC_CLResControlMode?: BPT_Dynamic_DC_CLResControlModeType;
  Dynamic_DC_CLResControlMode?: Dynamic_DC_CLResControlModeType;
  BPT_Scheduled_DC_CLResControlMode?: BPT_Scheduled_DC_CLResControlModeType;
  Scheduled_DC_CLResControlMode?: Scheduled_DC_CLResControlModeType;
}

/** {urn:iso:std:iso:15118:-20:DC}DC_ChargeParameterDiscoveryReqType */
export interface DC_ChargeParameterDiscoveryReqType {
  Header: MessageHeaderType;
  DC_CPDReqEnergyTransferMode?: DC_CPDReqEnergyTransferModeType;
  BPT_DC_CPDReqEnergyTransferMode?: BPT_DC_CPDReqEnergyTransferModeType;
}

/** {urn:iso:std:iso:15118:-20:DC}DC_ChargeParameterDiscoveryResType */
export interface DC_ChargeParameterDiscoveryResType {
  Header: MessageHeaderType;
  ResponseCode: "OK" | "OK_CertificateExpiresSoon" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_PowerToleranceConfirmed" | "WARNING_AuthorizationSelectionInvalid" | "WARNING_CertificateExpired" | "WARNING_CertificateNotYetValid" | "WARNING_CertificateRevoked" | "WARNING_CertificateValidationError" | "WARNING_ChallengeInvalid" | "WARNING_EIMAuthorizationFailure" | "WARNING_eMSPUnknown" | "WARNING_EVPowerProfileViolation" | "WARNING_GeneralPnCAuthorizationError" | "WARNING_NoCertificateAvailable" | "WARNING_NoContractMatchingPCIDFound" | "WARNING_PowerToleranceNotConfirmed" | "WARNING_ScheduleRenegotiationFailed" | "WARNING_StandbyNotAllowed" | "WARNING_WPT" | "FAILED" | "FAILED_AssociationError" | "FAILED_ContactorError" | "FAILED_EVPowerProfileInvalid" | "FAILED_EVPowerProfileViolation" | "FAILED_MeteringSignatureNotValid" | "FAILED_NoEnergyTransferServiceSelected" | "FAILED_NoServiceRenegotiationSupported" | "FAILED_PauseNotAllowed" | "FAILED_PowerDeliveryNotApplied" | "FAILED_PowerToleranceNotConfirmed" | "FAILED_ScheduleRenegotiation" | "FAILED_ScheduleSelectionInvalid" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_ServiceSelectionInvalid" | "FAILED_SignatureError" | "FAILED_UnknownSession" | "FAILED_WrongChargeParameter";
  DC_CPDResEnergyTransferMode?: DC_CPDResEnergyTransferModeType;
  BPT_DC_CPDResEnergyTransferMode?: BPT_DC_CPDResEnergyTransferModeType;
}

/** {urn:iso:std:iso:15118:-20:DC}DC_PreChargeReqType */
export interface DC_PreChargeReqType {
  Header: MessageHeaderType;
  EVProcessing: "Finished" | "Ongoing" | "Ongoing_WaitingForCustomerInteraction";
  EVPresentVoltage: RationalNumberType;
  EVTargetVoltage: RationalNumberType;
}

/** {urn:iso:std:iso:15118:-20:DC}DC_PreChargeResType */
export interface DC_PreChargeResType {
  Header: MessageHeaderType;
  ResponseCode: "OK" | "OK_CertificateExpiresSoon" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_PowerToleranceConfirmed" | "WARNING_AuthorizationSelectionInvalid" | "WARNING_CertificateExpired" | "WARNING_CertificateNotYetValid" | "WARNING_CertificateRevoked" | "WARNING_CertificateValidationError" | "WARNING_ChallengeInvalid" | "WARNING_EIMAuthorizationFailure" | "WARNING_eMSPUnknown" | "WARNING_EVPowerProfileViolation" | "WARNING_GeneralPnCAuthorizationError" | "WARNING_NoCertificateAvailable" | "WARNING_NoContractMatchingPCIDFound" | "WARNING_PowerToleranceNotConfirmed" | "WARNING_ScheduleRenegotiationFailed" | "WARNING_StandbyNotAllowed" | "WARNING_WPT" | "FAILED" | "FAILED_AssociationError" | "FAILED_ContactorError" | "FAILED_EVPowerProfileInvalid" | "FAILED_EVPowerProfileViolation" | "FAILED_MeteringSignatureNotValid" | "FAILED_NoEnergyTransferServiceSelected" | "FAILED_NoServiceRenegotiationSupported" | "FAILED_PauseNotAllowed" | "FAILED_PowerDeliveryNotApplied" | "FAILED_PowerToleranceNotConfirmed" | "FAILED_ScheduleRenegotiation" | "FAILED_ScheduleSelectionInvalid" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_ServiceSelectionInvalid" | "FAILED_SignatureError" | "FAILED_UnknownSession" | "FAILED_WrongChargeParameter";
  EVSEPresentVoltage: RationalNumberType;
}

/** {urn:iso:std:iso:15118:-20:DC}DC_WeldingDetectionReqType */
export interface DC_WeldingDetectionReqType {
  Header: MessageHeaderType;
  EVProcessing: "Finished" | "Ongoing" | "Ongoing_WaitingForCustomerInteraction";
}

/** {urn:iso:std:iso:15118:-20:DC}DC_WeldingDetectionResType */
export interface DC_WeldingDetectionResType {
  Header: MessageHeaderType;
  ResponseCode: "OK" | "OK_CertificateExpiresSoon" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_PowerToleranceConfirmed" | "WARNING_AuthorizationSelectionInvalid" | "WARNING_CertificateExpired" | "WARNING_CertificateNotYetValid" | "WARNING_CertificateRevoked" | "WARNING_CertificateValidationError" | "WARNING_ChallengeInvalid" | "WARNING_EIMAuthorizationFailure" | "WARNING_eMSPUnknown" | "WARNING_EVPowerProfileViolation" | "WARNING_GeneralPnCAuthorizationError" | "WARNING_NoCertificateAvailable" | "WARNING_NoContractMatchingPCIDFound" | "WARNING_PowerToleranceNotConfirmed" | "WARNING_ScheduleRenegotiationFailed" | "WARNING_StandbyNotAllowed" | "WARNING_WPT" | "FAILED" | "FAILED_AssociationError" | "FAILED_ContactorError" | "FAILED_EVPowerProfileInvalid" | "FAILED_EVPowerProfileViolation" | "FAILED_MeteringSignatureNotValid" | "FAILED_NoEnergyTransferServiceSelected" | "FAILED_NoServiceRenegotiationSupported" | "FAILED_PauseNotAllowed" | "FAILED_PowerDeliveryNotApplied" | "FAILED_PowerToleranceNotConfirmed" | "FAILED_ScheduleRenegotiation" | "FAILED_ScheduleSelectionInvalid" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_ServiceSelectionInvalid" | "FAILED_SignatureError" | "FAILED_UnknownSession" | "FAILED_WrongChargeParameter";
  EVSEPresentVoltage: RationalNumberType;
}

/** {urn:iso:std:iso:15118:-20:DC}Dynamic_DC_CLReqControlModeType */
export interface Dynamic_DC_CLReqControlModeType {
  DepartureTime?: number;
  EVTargetEnergyRequest: RationalNumberType;
  EVMaximumEnergyRequest: RationalNumberType;
  EVMinimumEnergyRequest: RationalNumberType;
  EVMaximumChargePower: RationalNumberType;
  EVMinimumChargePower: RationalNumberType;
  EVMaximumChargeCurrent: RationalNumberType;
  EVMaximumVoltage: RationalNumberType;
  EVMinimumVoltage: RationalNumberType;
}

/** {urn:iso:std:iso:15118:-20:DC}Dynamic_DC_CLResControlModeType */
export interface Dynamic_DC_CLResControlModeType {
  DepartureTime?: number;
  MinimumSOC?: number;
  TargetSOC?: number;
  AckMaxDelay?: number;
  EVSEMaximumChargePower: RationalNumberType;
  EVSEMinimumChargePower: RationalNumberType;
  EVSEMaximumChargeCurrent: RationalNumberType;
  EVSEMaximumVoltage: RationalNumberType;
}

/** {urn:iso:std:iso:15118:-20:DC}Scheduled_DC_CLReqControlModeType */
export interface Scheduled_DC_CLReqControlModeType {
  EVTargetEnergyRequest?: RationalNumberType;
  EVMaximumEnergyRequest?: RationalNumberType;
  EVMinimumEnergyRequest?: RationalNumberType;
  EVTargetCurrent: RationalNumberType;
  EVTargetVoltage: RationalNumberType;
  EVMaximumChargePower?: RationalNumberType;
  EVMinimumChargePower?: RationalNumberType;
  EVMaximumChargeCurrent?: RationalNumberType;
  EVMaximumVoltage?: RationalNumberType;
  EVMinimumVoltage?: RationalNumberType;
}

/** {urn:iso:std:iso:15118:-20:DC}Scheduled_DC_CLResControlModeType */
export interface Scheduled_DC_CLResControlModeType {
  EVSEMaximumChargePower?: RationalNumberType;
  EVSEMinimumChargePower?: RationalNumberType;
  EVSEMaximumChargeCurrent?: RationalNumberType;
  EVSEMaximumVoltage?: RationalNumberType;
}

/** The global elements of this schema set and the type of their content. */
export interface Iso20DcElements {
  "BPT_DC_CPDReqEnergyTransferMode": BPT_DC_CPDReqEnergyTransferModeType;
  "BPT_DC_CPDResEnergyTransferMode": BPT_DC_CPDResEnergyTransferModeType;
  "BPT_Dynamic_DC_CLReqControlMode": BPT_Dynamic_DC_CLReqControlModeType;
  "BPT_Dynamic_DC_CLResControlMode": BPT_Dynamic_DC_CLResControlModeType;
  "BPT_Scheduled_DC_CLReqControlMode": BPT_Scheduled_DC_CLReqControlModeType;
  "BPT_Scheduled_DC_CLResControlMode": BPT_Scheduled_DC_CLResControlModeType;
  "CLReqControlMode": CLReqControlModeType;
  "CLResControlMode": CLResControlModeType;
  "CanonicalizationMethod": CanonicalizationMethodType;
  "DC_CPDReqEnergyTransferMode": DC_CPDReqEnergyTransferModeType;
  "DC_CPDResEnergyTransferMode": DC_CPDResEnergyTransferModeType;
  "DC_CableCheckReq": DC_CableCheckReqType;
  "DC_CableCheckRes": DC_CableCheckResType;
  "DC_ChargeLoopReq": DC_ChargeLoopReqType;
  "DC_ChargeLoopRes": DC_ChargeLoopResType;
  "DC_ChargeParameterDiscoveryReq": DC_ChargeParameterDiscoveryReqType;
  "DC_ChargeParameterDiscoveryRes": DC_ChargeParameterDiscoveryResType;
  "DC_PreChargeReq": DC_PreChargeReqType;
  "DC_PreChargeRes": DC_PreChargeResType;
  "DC_WeldingDetectionReq": DC_WeldingDetectionReqType;
  "DC_WeldingDetectionRes": DC_WeldingDetectionResType;
  "DSAKeyValue": DSAKeyValueType;
  "DigestMethod": DigestMethodType;
  "DigestValue": Uint8Array;
  "Dynamic_DC_CLReqControlMode": Dynamic_DC_CLReqControlModeType;
  "Dynamic_DC_CLResControlMode": Dynamic_DC_CLResControlModeType;
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
  "Scheduled_DC_CLReqControlMode": Scheduled_DC_CLReqControlModeType;
  "Scheduled_DC_CLResControlMode": Scheduled_DC_CLResControlModeType;
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
