// GENERATED FILE — do not edit. Regenerate with `npm run generate`.
// Generator: tools/exi-codegen v1; schema set 'iso-20-acdp' (ISO 15118-20 ACDP).
// Sources (read from the shared schema directory, not part of this repository):
//   iso15118-20/V2G_CI_ACDP.xsd sha256=f0f840697971fa531f92c9d921595cc46a2a2908c6625bc5dd206e94aac239ec
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

/** {urn:iso:std:iso:15118:-20:ACDP}ACDP_ConnectReqType */
export interface ACDP_ConnectReqType {
  Header: MessageHeaderType;
  EVElectricalChargingDeviceStatus: "State_A" | "State_B" | "State_C" | "State_D";
}

/** {urn:iso:std:iso:15118:-20:ACDP}ACDP_ConnectResType */
export interface ACDP_ConnectResType {
  Header: MessageHeaderType;
  ResponseCode: "OK" | "OK_CertificateExpiresSoon" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_PowerToleranceConfirmed" | "WARNING_AuthorizationSelectionInvalid" | "WARNING_CertificateExpired" | "WARNING_CertificateNotYetValid" | "WARNING_CertificateRevoked" | "WARNING_CertificateValidationError" | "WARNING_ChallengeInvalid" | "WARNING_EIMAuthorizationFailure" | "WARNING_eMSPUnknown" | "WARNING_EVPowerProfileViolation" | "WARNING_GeneralPnCAuthorizationError" | "WARNING_NoCertificateAvailable" | "WARNING_NoContractMatchingPCIDFound" | "WARNING_PowerToleranceNotConfirmed" | "WARNING_ScheduleRenegotiationFailed" | "WARNING_StandbyNotAllowed" | "WARNING_WPT" | "FAILED" | "FAILED_AssociationError" | "FAILED_ContactorError" | "FAILED_EVPowerProfileInvalid" | "FAILED_EVPowerProfileViolation" | "FAILED_MeteringSignatureNotValid" | "FAILED_NoEnergyTransferServiceSelected" | "FAILED_NoServiceRenegotiationSupported" | "FAILED_PauseNotAllowed" | "FAILED_PowerDeliveryNotApplied" | "FAILED_PowerToleranceNotConfirmed" | "FAILED_ScheduleRenegotiation" | "FAILED_ScheduleSelectionInvalid" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_ServiceSelectionInvalid" | "FAILED_SignatureError" | "FAILED_UnknownSession" | "FAILED_WrongChargeParameter";
  EVSEProcessing: "Finished" | "Ongoing" | "Ongoing_WaitingForCustomerInteraction";
  EVSEElectricalChargingDeviceStatus: "State_A" | "State_B" | "State_C" | "State_D";
  EVSEMechanicalChargingDeviceStatus: "Home" | "Moving" | "EndPosition";
}

/** {urn:iso:std:iso:15118:-20:ACDP}ACDP_SystemStatusReqType */
export interface ACDP_SystemStatusReqType {
  Header: MessageHeaderType;
  EVTechnicalStatus: EVTechnicalStatusType;
}

/** {urn:iso:std:iso:15118:-20:ACDP}ACDP_SystemStatusResType */
export interface ACDP_SystemStatusResType {
  Header: MessageHeaderType;
  ResponseCode: "OK" | "OK_CertificateExpiresSoon" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_PowerToleranceConfirmed" | "WARNING_AuthorizationSelectionInvalid" | "WARNING_CertificateExpired" | "WARNING_CertificateNotYetValid" | "WARNING_CertificateRevoked" | "WARNING_CertificateValidationError" | "WARNING_ChallengeInvalid" | "WARNING_EIMAuthorizationFailure" | "WARNING_eMSPUnknown" | "WARNING_EVPowerProfileViolation" | "WARNING_GeneralPnCAuthorizationError" | "WARNING_NoCertificateAvailable" | "WARNING_NoContractMatchingPCIDFound" | "WARNING_PowerToleranceNotConfirmed" | "WARNING_ScheduleRenegotiationFailed" | "WARNING_StandbyNotAllowed" | "WARNING_WPT" | "FAILED" | "FAILED_AssociationError" | "FAILED_ContactorError" | "FAILED_EVPowerProfileInvalid" | "FAILED_EVPowerProfileViolation" | "FAILED_MeteringSignatureNotValid" | "FAILED_NoEnergyTransferServiceSelected" | "FAILED_NoServiceRenegotiationSupported" | "FAILED_PauseNotAllowed" | "FAILED_PowerDeliveryNotApplied" | "FAILED_PowerToleranceNotConfirmed" | "FAILED_ScheduleRenegotiation" | "FAILED_ScheduleSelectionInvalid" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_ServiceSelectionInvalid" | "FAILED_SignatureError" | "FAILED_UnknownSession" | "FAILED_WrongChargeParameter";
  EVSEMechanicalChargingDeviceStatus: "Home" | "Moving" | "EndPosition";
  EVSEReadyToCharge: boolean;
  EVSEIsolationStatus: "Invalid" | "Safe" | "Warning" | "Fault";
  EVSEDisabled: boolean;
  EVSEUtilityInterruptEvent: boolean;
  EVSEEmergencyShutdown: boolean;
  EVSEMalfunction: boolean;
  EVInChargePosition: boolean;
  EVAssociationStatus: boolean;
}

/** {urn:iso:std:iso:15118:-20:ACDP}ACDP_VehiclePositioningReqType */
export interface ACDP_VehiclePositioningReqType {
  Header: MessageHeaderType;
  EVMobilityStatus: boolean;
  EVPositioningSupport: boolean;
}

/** {urn:iso:std:iso:15118:-20:ACDP}ACDP_VehiclePositioningResType */
export interface ACDP_VehiclePositioningResType {
  Header: MessageHeaderType;
  ResponseCode: "OK" | "OK_CertificateExpiresSoon" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_PowerToleranceConfirmed" | "WARNING_AuthorizationSelectionInvalid" | "WARNING_CertificateExpired" | "WARNING_CertificateNotYetValid" | "WARNING_CertificateRevoked" | "WARNING_CertificateValidationError" | "WARNING_ChallengeInvalid" | "WARNING_EIMAuthorizationFailure" | "WARNING_eMSPUnknown" | "WARNING_EVPowerProfileViolation" | "WARNING_GeneralPnCAuthorizationError" | "WARNING_NoCertificateAvailable" | "WARNING_NoContractMatchingPCIDFound" | "WARNING_PowerToleranceNotConfirmed" | "WARNING_ScheduleRenegotiationFailed" | "WARNING_StandbyNotAllowed" | "WARNING_WPT" | "FAILED" | "FAILED_AssociationError" | "FAILED_ContactorError" | "FAILED_EVPowerProfileInvalid" | "FAILED_EVPowerProfileViolation" | "FAILED_MeteringSignatureNotValid" | "FAILED_NoEnergyTransferServiceSelected" | "FAILED_NoServiceRenegotiationSupported" | "FAILED_PauseNotAllowed" | "FAILED_PowerDeliveryNotApplied" | "FAILED_PowerToleranceNotConfirmed" | "FAILED_ScheduleRenegotiation" | "FAILED_ScheduleSelectionInvalid" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_ServiceSelectionInvalid" | "FAILED_SignatureError" | "FAILED_UnknownSession" | "FAILED_WrongChargeParameter";
  EVSEProcessing: "Finished" | "Ongoing" | "Ongoing_WaitingForCustomerInteraction";
  EVSEPositioningSupport: boolean;
  EVRelativeXDeviation: number;
  EVRelativeYDeviation: number;
  ContactWindowXc: number;
  ContactWindowYc: number;
  EVInChargePosition: boolean;
}

/** {urn:iso:std:iso:15118:-20:ACDP}EVTechnicalStatusType */
export interface EVTechnicalStatusType {
  EVReadyToCharge: boolean;
  EVImmobilizationRequest: boolean;
  EVImmobilized?: boolean;
  EVWLANStrength?: RationalNumberType;
  EVCPStatus?: "StateA" | "StateB" | "StateC" | "StateD" | "StateE";
  EVSOC?: number;
  EVErrorCode?: "OK_NoEVError" | "FAILED" | "FAILED_EmergencyEvent" | "FAILED_Breaker" | "FAILED_RESSTemperatureInhibit" | "FAILED_RESS" | "FAILED_ChargingCurrentDifferential" | "FAILED_ChargingVoltageOutOfRange" | "FAILED_Reserved1" | "FAILED_Reserved2";
  EVTimeout?: boolean;
}

/** The global elements of this schema set and the type of their content. */
export interface Iso20AcdpElements {
  "ACDP_ConnectReq": ACDP_ConnectReqType;
  "ACDP_ConnectRes": ACDP_ConnectResType;
  "ACDP_DisconnectReq": ACDP_ConnectReqType;
  "ACDP_DisconnectRes": ACDP_ConnectResType;
  "ACDP_SystemStatusReq": ACDP_SystemStatusReqType;
  "ACDP_SystemStatusRes": ACDP_SystemStatusResType;
  "ACDP_VehiclePositioningReq": ACDP_VehiclePositioningReqType;
  "ACDP_VehiclePositioningRes": ACDP_VehiclePositioningResType;
  "CLReqControlMode": CLReqControlModeType;
  "CLResControlMode": CLResControlModeType;
  "CanonicalizationMethod": CanonicalizationMethodType;
  "DSAKeyValue": DSAKeyValueType;
  "DigestMethod": DigestMethodType;
  "DigestValue": Uint8Array;
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
