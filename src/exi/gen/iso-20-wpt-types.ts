// GENERATED FILE — do not edit. Regenerate with `npm run generate`.
// Generator: tools/exi-codegen v1; schema set 'iso-20-wpt' (ISO 15118-20 WPT).
// Sources (read from the shared schema directory, not part of this repository):
//   iso15118-20/V2G_CI_CommonTypes.xsd sha256=3a1e442fcf4dba9c9c2a3125ba133b853bad02931a989b4eec7f8bdd66d904fe
//   iso15118-20/V2G_CI_WPT.xsd sha256=cae7b9d323b6ea6e69b949fa502c23b65bc43a3a54fea85c855a491817c5beec
//   iso15118-20/xmldsig-core-schema.xsd sha256=35cf8197da812c85e40d57891b35c94187569ed474a2dac813ce5090dafcd35c
/* biome-ignore-all format: generated */

// Typed message model: one interface per complex type. Attributes and child elements are
// properties named by their local name; repeated children are arrays; simple content is `$value`.
// Interfaces identical to those of another schema set are imported from it, not repeated.
import type { CLReqControlModeType, CLResControlModeType, ChargeLoopReqType, ChargeLoopResType, ChargeParameterDiscoveryReqType, ChargeParameterDiscoveryResType, DetailedCostType, DetailedTaxType, DisplayParametersType, Dynamic_CLReqControlModeType, Dynamic_CLResControlModeType, EVSEStatusType, ListOfRootCertificateIDsType, MessageHeaderType, MeterInfoType, RationalNumberType, ReceiptType, Scheduled_CLReqControlModeType, Scheduled_CLResControlModeType, V2GMessageType, V2GRequestType, V2GResponseType } from './iso-20-common-types.ts';
export type { CLReqControlModeType, CLResControlModeType, ChargeLoopReqType, ChargeLoopResType, ChargeParameterDiscoveryReqType, ChargeParameterDiscoveryResType, DetailedCostType, DetailedTaxType, DisplayParametersType, Dynamic_CLReqControlModeType, Dynamic_CLResControlModeType, EVSEStatusType, ListOfRootCertificateIDsType, MessageHeaderType, MeterInfoType, RationalNumberType, ReceiptType, Scheduled_CLReqControlModeType, Scheduled_CLResControlModeType, V2GMessageType, V2GRequestType, V2GResponseType } from './iso-20-common-types.ts';
import type { AnyType, CanonicalizationMethodType, DSAKeyValueType, DigestMethodType, KeyInfoType, KeyValueType, ManifestType, ObjectType, PGPDataType, RSAKeyValueType, ReferenceType, RetrievalMethodType, SPKIDataType, SignatureMethodType, SignaturePropertiesType, SignaturePropertyType, SignatureType, SignatureValueType, SignedInfoType, TransformType, TransformsType, X509DataType, X509IssuerSerialType } from './xmldsig-types.ts';
export type { AnyType, CanonicalizationMethodType, DSAKeyValueType, DigestMethodType, KeyInfoType, KeyValueType, ManifestType, ObjectType, PGPDataType, RSAKeyValueType, ReferenceType, RetrievalMethodType, SPKIDataType, SignatureMethodType, SignaturePropertiesType, SignaturePropertyType, SignatureType, SignatureValueType, SignedInfoType, TransformType, TransformsType, X509DataType, X509IssuerSerialType } from './xmldsig-types.ts';

/** {urn:iso:std:iso:15118:-20:WPT}AlternativeSECCListType */
export interface AlternativeSECCListType {
  AlternativeSECC: AlternativeSECCType[];
}

/** {urn:iso:std:iso:15118:-20:WPT}AlternativeSECCType */
export interface AlternativeSECCType {
  SSID?: string;
  BSSID?: string;
  IPAddress?: string;
  Port?: number;
}

/** {urn:iso:std:iso:15118:-20:WPT}WPT_AlignmentCheckMethodListType */
export interface WPT_AlignmentCheckMethodListType {
  WPT_AlignmentCheckMethod: ("PowerCheck" | "LPE" | "Proprietary")[];
}

/** {urn:iso:std:iso:15118:-20:WPT}WPT_AlignmentCheckReqType */
export interface WPT_AlignmentCheckReqType {
  Header: MessageHeaderType;
  EVProcessing: "Finished" | "Ongoing" | "Ongoing_WaitingForCustomerInteraction";
  TargetCoilCurrent?: RationalNumberType;
  EVResultCode: "EVResultUnknown" | "EVResultSuccess" | "EVResultFailed";
  VendorSpecificDataContainer?: Uint8Array[];
}

/** {urn:iso:std:iso:15118:-20:WPT}WPT_AlignmentCheckResType */
export interface WPT_AlignmentCheckResType {
  Header: MessageHeaderType;
  ResponseCode: "OK" | "OK_CertificateExpiresSoon" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_PowerToleranceConfirmed" | "WARNING_AuthorizationSelectionInvalid" | "WARNING_CertificateExpired" | "WARNING_CertificateNotYetValid" | "WARNING_CertificateRevoked" | "WARNING_CertificateValidationError" | "WARNING_ChallengeInvalid" | "WARNING_EIMAuthorizationFailure" | "WARNING_eMSPUnknown" | "WARNING_EVPowerProfileViolation" | "WARNING_GeneralPnCAuthorizationError" | "WARNING_NoCertificateAvailable" | "WARNING_NoContractMatchingPCIDFound" | "WARNING_PowerToleranceNotConfirmed" | "WARNING_ScheduleRenegotiationFailed" | "WARNING_StandbyNotAllowed" | "WARNING_WPT" | "FAILED" | "FAILED_AssociationError" | "FAILED_ContactorError" | "FAILED_EVPowerProfileInvalid" | "FAILED_EVPowerProfileViolation" | "FAILED_MeteringSignatureNotValid" | "FAILED_NoEnergyTransferServiceSelected" | "FAILED_NoServiceRenegotiationSupported" | "FAILED_PauseNotAllowed" | "FAILED_PowerDeliveryNotApplied" | "FAILED_PowerToleranceNotConfirmed" | "FAILED_ScheduleRenegotiation" | "FAILED_ScheduleSelectionInvalid" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_ServiceSelectionInvalid" | "FAILED_SignatureError" | "FAILED_UnknownSession" | "FAILED_WrongChargeParameter";
  EVSEProcessing: "Finished" | "Ongoing" | "Ongoing_WaitingForCustomerInteraction";
  PowerTransmitted?: RationalNumberType;
  SupplyDeviceCurrent?: RationalNumberType;
  VendorSpecificDataContainer?: Uint8Array[];
}

/** {urn:iso:std:iso:15118:-20:WPT}WPT_ChargeLoopReqType */
export interface WPT_ChargeLoopReqType {
  Header: MessageHeaderType;
  DisplayParameters?: DisplayParametersType;
  MeterInfoRequested: boolean;
  EVPCPowerRequest: RationalNumberType;
  EVPCPowerOutput: RationalNumberType;
  EVPCChargeDiagnostics: "EVPCNoIssue" | "EVPCTempOverheatDetected" | "EVPCPowerTransferAnomalyDetected" | "EVPCAnomalyDetected";
  EVPCOperatingFrequency?: RationalNumberType;
  EVPCPowerControlParameter?: WPT_EVPCPowerControlParameterType;
  ManufacturerSpecificDataContainer?: Uint8Array[];
}

/** {urn:iso:std:iso:15118:-20:WPT}WPT_ChargeLoopResType */
export interface WPT_ChargeLoopResType {
  Header: MessageHeaderType;
  ResponseCode: "OK" | "OK_CertificateExpiresSoon" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_PowerToleranceConfirmed" | "WARNING_AuthorizationSelectionInvalid" | "WARNING_CertificateExpired" | "WARNING_CertificateNotYetValid" | "WARNING_CertificateRevoked" | "WARNING_CertificateValidationError" | "WARNING_ChallengeInvalid" | "WARNING_EIMAuthorizationFailure" | "WARNING_eMSPUnknown" | "WARNING_EVPowerProfileViolation" | "WARNING_GeneralPnCAuthorizationError" | "WARNING_NoCertificateAvailable" | "WARNING_NoContractMatchingPCIDFound" | "WARNING_PowerToleranceNotConfirmed" | "WARNING_ScheduleRenegotiationFailed" | "WARNING_StandbyNotAllowed" | "WARNING_WPT" | "FAILED" | "FAILED_AssociationError" | "FAILED_ContactorError" | "FAILED_EVPowerProfileInvalid" | "FAILED_EVPowerProfileViolation" | "FAILED_MeteringSignatureNotValid" | "FAILED_NoEnergyTransferServiceSelected" | "FAILED_NoServiceRenegotiationSupported" | "FAILED_PauseNotAllowed" | "FAILED_PowerDeliveryNotApplied" | "FAILED_PowerToleranceNotConfirmed" | "FAILED_ScheduleRenegotiation" | "FAILED_ScheduleSelectionInvalid" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_ServiceSelectionInvalid" | "FAILED_SignatureError" | "FAILED_UnknownSession" | "FAILED_WrongChargeParameter";
  EVSEStatus?: EVSEStatusType;
  MeterInfo?: MeterInfoType;
  Receipt?: ReceiptType;
  EVPCPowerRequest: RationalNumberType;
  SDPowerInput?: RationalNumberType;
  SPCMaxOutputPowerLimit: RationalNumberType;
  SPCMinOutputPowerLimit: RationalNumberType;
  SPCChargeDiagnostics: "SPCNoIssue" | "SPCFODDetected" | "SPCLOPDetected" | "SPCTempOverheatDetected" | "SPCPowerTransferAnomalyDetected" | "SPCAnomalyDetected";
  SPCOperatingFrequency?: RationalNumberType;
  SPCPowerControlParameter?: WPT_SPCPowerControlParameterType;
  ManufacturerSpecificDataContainer?: Uint8Array[];
}

/** {urn:iso:std:iso:15118:-20:WPT}WPT_ChargeParameterDiscoveryReqType */
export interface WPT_ChargeParameterDiscoveryReqType {
  Header: MessageHeaderType;
  EVPCMaxReceivablePower: RationalNumberType;
  SDMaxGroundClearence: number;
  SDMinGroundClearence: number;
  EVPCNaturalFrequency: RationalNumberType;
  EVPCDeviceLocalControl: boolean;
  VendorSpecificDataContainer?: Uint8Array[];
}

/** {urn:iso:std:iso:15118:-20:WPT}WPT_ChargeParameterDiscoveryResType */
export interface WPT_ChargeParameterDiscoveryResType {
  Header: MessageHeaderType;
  ResponseCode: "OK" | "OK_CertificateExpiresSoon" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_PowerToleranceConfirmed" | "WARNING_AuthorizationSelectionInvalid" | "WARNING_CertificateExpired" | "WARNING_CertificateNotYetValid" | "WARNING_CertificateRevoked" | "WARNING_CertificateValidationError" | "WARNING_ChallengeInvalid" | "WARNING_EIMAuthorizationFailure" | "WARNING_eMSPUnknown" | "WARNING_EVPowerProfileViolation" | "WARNING_GeneralPnCAuthorizationError" | "WARNING_NoCertificateAvailable" | "WARNING_NoContractMatchingPCIDFound" | "WARNING_PowerToleranceNotConfirmed" | "WARNING_ScheduleRenegotiationFailed" | "WARNING_StandbyNotAllowed" | "WARNING_WPT" | "FAILED" | "FAILED_AssociationError" | "FAILED_ContactorError" | "FAILED_EVPowerProfileInvalid" | "FAILED_EVPowerProfileViolation" | "FAILED_MeteringSignatureNotValid" | "FAILED_NoEnergyTransferServiceSelected" | "FAILED_NoServiceRenegotiationSupported" | "FAILED_PauseNotAllowed" | "FAILED_PowerDeliveryNotApplied" | "FAILED_PowerToleranceNotConfirmed" | "FAILED_ScheduleRenegotiation" | "FAILED_ScheduleSelectionInvalid" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_ServiceSelectionInvalid" | "FAILED_SignatureError" | "FAILED_UnknownSession" | "FAILED_WrongChargeParameter";
  PDInputPowerClass: "MF-WPT1" | "MF-WPT2" | "MF-WPT3" | "MF-WPT4";
  SDMinOutputPower: RationalNumberType;
  SDMaxOutputPower: RationalNumberType;
  SDMaxGroundClearanceSupport: number;
  SDMinGroundClearanceSupport: number;
  PDMinCoilCurrent: RationalNumberType;
  PDMaxCoilCurrent: RationalNumberType;
  SDManufacturerSpecificDataContainer?: Uint8Array[];
}

/** {urn:iso:std:iso:15118:-20:WPT}WPT_CoordinateXYZType */
export interface WPT_CoordinateXYZType {
  Coord_X: number;
  Coord_Y: number;
  Coord_Z: number;
}

/** {urn:iso:std:iso:15118:-20:WPT}WPT_EVPCPowerControlParameterType */
export interface WPT_EVPCPowerControlParameterType {
  EVPCCoilCurrentRequest: RationalNumberType;
  EVPCCoilCurrentInformation: RationalNumberType;
  EVPCCurrentOutputInformation: RationalNumberType;
  EVPCVoltageOutputInformation: RationalNumberType;
}

/** {urn:iso:std:iso:15118:-20:WPT}WPT_FinePositioningMethodListType */
export interface WPT_FinePositioningMethodListType {
  WPT_FinePositioningMethod: ("Manual" | "LF_TxEV" | "LF_TxPrimaryDevice" | "LPE" | "Proprietary")[];
}

/** {urn:iso:std:iso:15118:-20:WPT}WPT_FinePositioningReqType */
export interface WPT_FinePositioningReqType {
  Header: MessageHeaderType;
  EVProcessing: "Finished" | "Ongoing" | "Ongoing_WaitingForCustomerInteraction";
  EVResultCode: "EVResultUnknown" | "EVResultSuccess" | "EVResultFailed";
  VendorSpecificDataContainer?: Uint8Array[];
  WPT_LF_DataPackageList?: WPT_LF_DataPackageListType;
}

/** {urn:iso:std:iso:15118:-20:WPT}WPT_FinePositioningResType */
export interface WPT_FinePositioningResType {
  Header: MessageHeaderType;
  ResponseCode: "OK" | "OK_CertificateExpiresSoon" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_PowerToleranceConfirmed" | "WARNING_AuthorizationSelectionInvalid" | "WARNING_CertificateExpired" | "WARNING_CertificateNotYetValid" | "WARNING_CertificateRevoked" | "WARNING_CertificateValidationError" | "WARNING_ChallengeInvalid" | "WARNING_EIMAuthorizationFailure" | "WARNING_eMSPUnknown" | "WARNING_EVPowerProfileViolation" | "WARNING_GeneralPnCAuthorizationError" | "WARNING_NoCertificateAvailable" | "WARNING_NoContractMatchingPCIDFound" | "WARNING_PowerToleranceNotConfirmed" | "WARNING_ScheduleRenegotiationFailed" | "WARNING_StandbyNotAllowed" | "WARNING_WPT" | "FAILED" | "FAILED_AssociationError" | "FAILED_ContactorError" | "FAILED_EVPowerProfileInvalid" | "FAILED_EVPowerProfileViolation" | "FAILED_MeteringSignatureNotValid" | "FAILED_NoEnergyTransferServiceSelected" | "FAILED_NoServiceRenegotiationSupported" | "FAILED_PauseNotAllowed" | "FAILED_PowerDeliveryNotApplied" | "FAILED_PowerToleranceNotConfirmed" | "FAILED_ScheduleRenegotiation" | "FAILED_ScheduleSelectionInvalid" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_ServiceSelectionInvalid" | "FAILED_SignatureError" | "FAILED_UnknownSession" | "FAILED_WrongChargeParameter";
  EVSEProcessing: "Finished" | "Ongoing" | "Ongoing_WaitingForCustomerInteraction";
  VendorSpecificDataContainer?: Uint8Array[];
  WPT_LF_DataPackageList?: WPT_LF_DataPackageListType;
}

/** {urn:iso:std:iso:15118:-20:WPT}WPT_FinePositioningSetupReqType */
export interface WPT_FinePositioningSetupReqType {
  Header: MessageHeaderType;
  EVProcessing: "Finished" | "Ongoing" | "Ongoing_WaitingForCustomerInteraction";
  EVDeviceFinePositioningMethodList: WPT_FinePositioningMethodListType;
  EVDevicePairingMethodList: WPT_PairingMethodListType;
  EVDeviceAlignmentCheckMethodList: WPT_AlignmentCheckMethodListType;
  NaturalOffset: number;
  VendorSpecificDataContainer?: Uint8Array[];
  LF_SystemSetupData?: WPT_LF_SystemSetupDataType;
}

/** {urn:iso:std:iso:15118:-20:WPT}WPT_FinePositioningSetupResType */
export interface WPT_FinePositioningSetupResType {
  Header: MessageHeaderType;
  ResponseCode: "OK" | "OK_CertificateExpiresSoon" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_PowerToleranceConfirmed" | "WARNING_AuthorizationSelectionInvalid" | "WARNING_CertificateExpired" | "WARNING_CertificateNotYetValid" | "WARNING_CertificateRevoked" | "WARNING_CertificateValidationError" | "WARNING_ChallengeInvalid" | "WARNING_EIMAuthorizationFailure" | "WARNING_eMSPUnknown" | "WARNING_EVPowerProfileViolation" | "WARNING_GeneralPnCAuthorizationError" | "WARNING_NoCertificateAvailable" | "WARNING_NoContractMatchingPCIDFound" | "WARNING_PowerToleranceNotConfirmed" | "WARNING_ScheduleRenegotiationFailed" | "WARNING_StandbyNotAllowed" | "WARNING_WPT" | "FAILED" | "FAILED_AssociationError" | "FAILED_ContactorError" | "FAILED_EVPowerProfileInvalid" | "FAILED_EVPowerProfileViolation" | "FAILED_MeteringSignatureNotValid" | "FAILED_NoEnergyTransferServiceSelected" | "FAILED_NoServiceRenegotiationSupported" | "FAILED_PauseNotAllowed" | "FAILED_PowerDeliveryNotApplied" | "FAILED_PowerToleranceNotConfirmed" | "FAILED_ScheduleRenegotiation" | "FAILED_ScheduleSelectionInvalid" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_ServiceSelectionInvalid" | "FAILED_SignatureError" | "FAILED_UnknownSession" | "FAILED_WrongChargeParameter";
  PrimaryDeviceFinePositioningMethodList: WPT_FinePositioningMethodListType;
  PrimaryDevicePairingMethodList: WPT_PairingMethodListType;
  PrimaryDeviceAlignmentCheckMethodList: WPT_AlignmentCheckMethodListType;
  NaturalOffset: number;
  VendorSpecificDataContainer?: Uint8Array[];
  LF_SystemSetupData?: WPT_LF_SystemSetupDataType;
}

/** {urn:iso:std:iso:15118:-20:WPT}WPT_LF_DataPackageListType */
export interface WPT_LF_DataPackageListType {
  NumPackages: number;
  WPT_LF_DataPackage: WPT_LF_DataPackageType;
}

/** {urn:iso:std:iso:15118:-20:WPT}WPT_LF_DataPackageType */
export interface WPT_LF_DataPackageType {
  PackageIndex: number;
  LF_TxData?: WPT_LF_TxDataListType;
  LF_RxData?: WPT_LF_RxDataListType;
}

/** {urn:iso:std:iso:15118:-20:WPT}WPT_LF_ReceiverDataType */
export interface WPT_LF_ReceiverDataType {
  NumberOfReceivers: number;
  RxSpecData: WPT_TxRxSpecDataType[];
}

/** {urn:iso:std:iso:15118:-20:WPT}WPT_LF_RxDataListType */
export interface WPT_LF_RxDataListType {
  WPT_LF_RxDataList: WPT_LF_RxDataType;
}

/** {urn:iso:std:iso:15118:-20:WPT}WPT_LF_RxDataType */
export interface WPT_LF_RxDataType {
  RxIdentifier: number;
  RSSIData: WPT_LF_RxRSSIListType;
}

/** {urn:iso:std:iso:15118:-20:WPT}WPT_LF_RxRSSIListType */
export interface WPT_LF_RxRSSIListType {
  RSSIDataList: WPT_LF_RxRSSIType;
}

/** {urn:iso:std:iso:15118:-20:WPT}WPT_LF_RxRSSIType */
export interface WPT_LF_RxRSSIType {
  TxIdentifier: number;
  RSSI: RationalNumberType;
}

/** {urn:iso:std:iso:15118:-20:WPT}WPT_LF_SystemSetupDataType */
export interface WPT_LF_SystemSetupDataType {
  LF_TransmitterSetupData?: WPT_LF_TransmitterDataType;
  LF_ReceiverSetupData?: WPT_LF_ReceiverDataType;
}

/** {urn:iso:std:iso:15118:-20:WPT}WPT_LF_TransmitterDataType */
export interface WPT_LF_TransmitterDataType {
  NumberOfTransmitters: number;
  SignalFrequency: RationalNumberType;
  TxSpecData: WPT_TxRxSpecDataType[];
  TxPackageSpecData?: WPT_TxRxPackageSpecDataType;
}

/** {urn:iso:std:iso:15118:-20:WPT}WPT_LF_TxDataListType */
export interface WPT_LF_TxDataListType {
  WPT_LF_TxDataList: WPT_LF_TxDataType;
}

/** {urn:iso:std:iso:15118:-20:WPT}WPT_LF_TxDataType */
export interface WPT_LF_TxDataType {
  TxIdentifier: number;
  EIRP: RationalNumberType;
}

/** {urn:iso:std:iso:15118:-20:WPT}WPT_PairingMethodListType */
export interface WPT_PairingMethodListType {
  WPT_PairingMethod: ("External confirmation" | "LPE" | "LF_TxEV" | "LF_TxPrimaryDevice" | "Optical" | "Proprietary")[];
}

/** {urn:iso:std:iso:15118:-20:WPT}WPT_PairingReqType */
export interface WPT_PairingReqType {
  Header: MessageHeaderType;
  EVProcessing: "Finished" | "Ongoing" | "Ongoing_WaitingForCustomerInteraction";
  ObservedIDCode?: number;
  EVResultCode: "EVResultUnknown" | "EVResultSuccess" | "EVResultFailed";
  VendorSpecificDataContainer?: Uint8Array[];
}

/** {urn:iso:std:iso:15118:-20:WPT}WPT_PairingResType */
export interface WPT_PairingResType {
  Header: MessageHeaderType;
  ResponseCode: "OK" | "OK_CertificateExpiresSoon" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_PowerToleranceConfirmed" | "WARNING_AuthorizationSelectionInvalid" | "WARNING_CertificateExpired" | "WARNING_CertificateNotYetValid" | "WARNING_CertificateRevoked" | "WARNING_CertificateValidationError" | "WARNING_ChallengeInvalid" | "WARNING_EIMAuthorizationFailure" | "WARNING_eMSPUnknown" | "WARNING_EVPowerProfileViolation" | "WARNING_GeneralPnCAuthorizationError" | "WARNING_NoCertificateAvailable" | "WARNING_NoContractMatchingPCIDFound" | "WARNING_PowerToleranceNotConfirmed" | "WARNING_ScheduleRenegotiationFailed" | "WARNING_StandbyNotAllowed" | "WARNING_WPT" | "FAILED" | "FAILED_AssociationError" | "FAILED_ContactorError" | "FAILED_EVPowerProfileInvalid" | "FAILED_EVPowerProfileViolation" | "FAILED_MeteringSignatureNotValid" | "FAILED_NoEnergyTransferServiceSelected" | "FAILED_NoServiceRenegotiationSupported" | "FAILED_PauseNotAllowed" | "FAILED_PowerDeliveryNotApplied" | "FAILED_PowerToleranceNotConfirmed" | "FAILED_ScheduleRenegotiation" | "FAILED_ScheduleSelectionInvalid" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_ServiceSelectionInvalid" | "FAILED_SignatureError" | "FAILED_UnknownSession" | "FAILED_WrongChargeParameter";
  EVSEProcessing: "Finished" | "Ongoing" | "Ongoing_WaitingForCustomerInteraction";
  ObservedIDCode?: number;
  AlternativeSECCList?: AlternativeSECCListType;
  VendorSpecificDataContainer?: Uint8Array[];
}

/** {urn:iso:std:iso:15118:-20:WPT}WPT_SPCPowerControlParameterType */
export interface WPT_SPCPowerControlParameterType {
  SPCPrimaryDeviceCoilCurrentInformation: RationalNumberType;
}

/** {urn:iso:std:iso:15118:-20:WPT}WPT_TxRxPackageSpecDataType */
export interface WPT_TxRxPackageSpecDataType {
  PulseSequenceOrder: WPT_TxRxPulseOrderType[];
  PulseSeparationTime: number;
  PulseDuration: number;
  PackageSeparationTime: number;
}

/** {urn:iso:std:iso:15118:-20:WPT}WPT_TxRxPulseOrderType */
export interface WPT_TxRxPulseOrderType {
  IndexNumber: number;
  TxRxIdentifier: number;
}

/** {urn:iso:std:iso:15118:-20:WPT}WPT_TxRxSpecDataType */
export interface WPT_TxRxSpecDataType {
  TxRxIdentifier: number;
  TxRxPosition: WPT_CoordinateXYZType;
  TxRxOrientation: WPT_CoordinateXYZType;
}

/** The global elements of this schema set and the type of their content. */
export interface Iso20WptElements {
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
  "WPT_AlignmentCheckReq": WPT_AlignmentCheckReqType;
  "WPT_AlignmentCheckRes": WPT_AlignmentCheckResType;
  "WPT_ChargeLoopReq": WPT_ChargeLoopReqType;
  "WPT_ChargeLoopRes": WPT_ChargeLoopResType;
  "WPT_ChargeParameterDiscoveryReq": WPT_ChargeParameterDiscoveryReqType;
  "WPT_ChargeParameterDiscoveryRes": WPT_ChargeParameterDiscoveryResType;
  "WPT_FinePositioningReq": WPT_FinePositioningReqType;
  "WPT_FinePositioningRes": WPT_FinePositioningResType;
  "WPT_FinePositioningSetupReq": WPT_FinePositioningSetupReqType;
  "WPT_FinePositioningSetupRes": WPT_FinePositioningSetupResType;
  "WPT_PairingReq": WPT_PairingReqType;
  "WPT_PairingRes": WPT_PairingResType;
  "X509Data": X509DataType;
}
