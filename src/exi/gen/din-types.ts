// GENERATED FILE — do not edit. Regenerate with `npm run generate`.
// Generator: tools/exi-codegen v1; schema set 'din' (DIN SPEC 70121:2012 MsgDef).
// Sources (read from the shared schema directory, not part of this repository):
//   din70121/V2G_CI_MsgBody.xsd sha256=88c55a6a81836a4f7da28c432c3aa96c017ed53676a57a147076ffbf2d415004
//   din70121/V2G_CI_MsgDataTypes.xsd sha256=d1e7bc371af89d8989e4fc6e792bdf9b281187894e990691a6f388b9d64de00c
//   din70121/V2G_CI_MsgDef.xsd sha256=d3375549339c88843083b022da581e4cb8cd8e8c4f53ff512db83d80d4293449
//   din70121/V2G_CI_MsgHeader.xsd sha256=4f8d90a8e701c7b2dd082f0496f14ee48a66bc3545006637122bfe77cc6afa6b
//   din70121/xmldsig-core-schema.xsd sha256=35cf8197da812c85e40d57891b35c94187569ed474a2dac813ce5090dafcd35c
/* biome-ignore-all format: generated */

// Typed message model: one interface per complex type. Attributes and child elements are
// properties named by their local name; repeated children are arrays; simple content is `$value`.
// Interfaces identical to those of another schema set are imported from it, not repeated.
import type { AnyType, CanonicalizationMethodType, DSAKeyValueType, DigestMethodType, KeyInfoType, KeyValueType, ManifestType, ObjectType, PGPDataType, RSAKeyValueType, ReferenceType, RetrievalMethodType, SPKIDataType, SignatureMethodType, SignaturePropertiesType, SignaturePropertyType, SignatureType, SignatureValueType, SignedInfoType, TransformType, TransformsType, X509DataType, X509IssuerSerialType } from './xmldsig-types.ts';
export type { AnyType, CanonicalizationMethodType, DSAKeyValueType, DigestMethodType, KeyInfoType, KeyValueType, ManifestType, ObjectType, PGPDataType, RSAKeyValueType, ReferenceType, RetrievalMethodType, SPKIDataType, SignatureMethodType, SignaturePropertiesType, SignaturePropertyType, SignatureType, SignatureValueType, SignedInfoType, TransformType, TransformsType, X509DataType, X509IssuerSerialType } from './xmldsig-types.ts';

/** {urn:din:70121:2012:MsgDataTypes}AC_EVChargeParameterType */
export interface AC_EVChargeParameterType {
  DepartureTime: number;
  EAmount: PhysicalValueType;
  EVMaxVoltage: PhysicalValueType;
  EVMaxCurrent: PhysicalValueType;
  EVMinCurrent: PhysicalValueType;
}

/** {urn:din:70121:2012:MsgDataTypes}AC_EVSEChargeParameterType */
export interface AC_EVSEChargeParameterType {
  AC_EVSEStatus: AC_EVSEStatusType;
  EVSEMaxVoltage: PhysicalValueType;
  EVSEMaxCurrent: PhysicalValueType;
  EVSEMinCurrent: PhysicalValueType;
}

/** {urn:din:70121:2012:MsgDataTypes}AC_EVSEStatusType */
export interface AC_EVSEStatusType {
  PowerSwitchClosed: boolean;
  RCD: boolean;
  NotificationMaxDelay: number;
  EVSENotification: "None" | "StopCharging" | "ReNegotiation";
}

/** {urn:din:70121:2012:MsgDef}BodyBaseType */
export interface BodyBaseType {
}

/** {urn:din:70121:2012:MsgDef}BodyType */
export interface BodyType {
  BodyElement?: BodyBaseType;
  CableCheckReq?: CableCheckReqType;
  CableCheckRes?: CableCheckResType;
  CertificateInstallationReq?: CertificateInstallationReqType;
  CertificateInstallationRes?: CertificateInstallationResType;
  CertificateUpdateReq?: CertificateUpdateReqType;
  CertificateUpdateRes?: CertificateUpdateResType;
  ChargeParameterDiscoveryReq?: ChargeParameterDiscoveryReqType;
  ChargeParameterDiscoveryRes?: ChargeParameterDiscoveryResType;
  ChargingStatusReq?: ChargingStatusReqType;
  ChargingStatusRes?: ChargingStatusResType;
  ContractAuthenticationReq?: ContractAuthenticationReqType;
  ContractAuthenticationRes?: ContractAuthenticationResType;
  CurrentDemandReq?: CurrentDemandReqType;
  CurrentDemandRes?: CurrentDemandResType;
  MeteringReceiptReq?: MeteringReceiptReqType;
  MeteringReceiptRes?: MeteringReceiptResType;
  PaymentDetailsReq?: PaymentDetailsReqType;
  PaymentDetailsRes?: PaymentDetailsResType;
  PowerDeliveryReq?: PowerDeliveryReqType;
  PowerDeliveryRes?: PowerDeliveryResType;
  PreChargeReq?: PreChargeReqType;
  PreChargeRes?: PreChargeResType;
  ServiceDetailReq?: ServiceDetailReqType;
  ServiceDetailRes?: ServiceDetailResType;
  ServiceDiscoveryReq?: ServiceDiscoveryReqType;
  ServiceDiscoveryRes?: ServiceDiscoveryResType;
  ServicePaymentSelectionReq?: ServicePaymentSelectionReqType;
  ServicePaymentSelectionRes?: ServicePaymentSelectionResType;
  SessionSetupReq?: SessionSetupReqType;
  SessionSetupRes?: SessionSetupResType;
  SessionStopReq?: SessionStopType;
  SessionStopRes?: SessionStopResType;
  WeldingDetectionReq?: WeldingDetectionReqType;
  WeldingDetectionRes?: WeldingDetectionResType;
}

/** {urn:din:70121:2012:MsgBody}CableCheckReqType */
export interface CableCheckReqType {
  DC_EVStatus: DC_EVStatusType;
}

/** {urn:din:70121:2012:MsgBody}CableCheckResType */
export interface CableCheckResType {
  ResponseCode: "OK" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_CertificateExpiresSoon" | "FAILED" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_UnknownSession" | "FAILED_ServiceSelectionInvalid" | "FAILED_PaymentSelectionInvalid" | "FAILED_CertificateExpired" | "FAILED_SignatureError" | "FAILED_NoCertificateAvailable" | "FAILED_CertChainError" | "FAILED_ChallengeInvalid" | "FAILED_ContractCanceled" | "FAILED_WrongChargeParameter" | "FAILED_PowerDeliveryNotApplied" | "FAILED_TariffSelectionInvalid" | "FAILED_ChargingProfileInvalid" | "FAILED_EVSEPresentVoltageToLow" | "FAILED_MeteringSignatureNotValid" | "FAILED_WrongEnergyTransferType";
  DC_EVSEStatus: DC_EVSEStatusType;
  EVSEProcessing: "Finished" | "Ongoing";
}

/** {urn:din:70121:2012:MsgDataTypes}CertificateChainType */
export interface CertificateChainType {
  Certificate: Uint8Array;
  SubCertificates?: SubCertificatesType;
}

/** {urn:din:70121:2012:MsgBody}CertificateInstallationReqType */
export interface CertificateInstallationReqType {
  Id?: string;
  OEMProvisioningCert: Uint8Array;
  ListOfRootCertificateIDs: ListOfRootCertificateIDsType;
  DHParams: Uint8Array;
}

/** {urn:din:70121:2012:MsgBody}CertificateInstallationResType */
export interface CertificateInstallationResType {
  Id: string;
  ResponseCode: "OK" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_CertificateExpiresSoon" | "FAILED" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_UnknownSession" | "FAILED_ServiceSelectionInvalid" | "FAILED_PaymentSelectionInvalid" | "FAILED_CertificateExpired" | "FAILED_SignatureError" | "FAILED_NoCertificateAvailable" | "FAILED_CertChainError" | "FAILED_ChallengeInvalid" | "FAILED_ContractCanceled" | "FAILED_WrongChargeParameter" | "FAILED_PowerDeliveryNotApplied" | "FAILED_TariffSelectionInvalid" | "FAILED_ChargingProfileInvalid" | "FAILED_EVSEPresentVoltageToLow" | "FAILED_MeteringSignatureNotValid" | "FAILED_WrongEnergyTransferType";
  ContractSignatureCertChain: CertificateChainType;
  ContractSignatureEncryptedPrivateKey: Uint8Array;
  DHParams: Uint8Array;
  ContractID: string;
}

/** {urn:din:70121:2012:MsgBody}CertificateUpdateReqType */
export interface CertificateUpdateReqType {
  Id?: string;
  ContractSignatureCertChain: CertificateChainType;
  ContractID: string;
  ListOfRootCertificateIDs: ListOfRootCertificateIDsType;
  DHParams: Uint8Array;
}

/** {urn:din:70121:2012:MsgBody}CertificateUpdateResType */
export interface CertificateUpdateResType {
  Id: string;
  ResponseCode: "OK" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_CertificateExpiresSoon" | "FAILED" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_UnknownSession" | "FAILED_ServiceSelectionInvalid" | "FAILED_PaymentSelectionInvalid" | "FAILED_CertificateExpired" | "FAILED_SignatureError" | "FAILED_NoCertificateAvailable" | "FAILED_CertChainError" | "FAILED_ChallengeInvalid" | "FAILED_ContractCanceled" | "FAILED_WrongChargeParameter" | "FAILED_PowerDeliveryNotApplied" | "FAILED_TariffSelectionInvalid" | "FAILED_ChargingProfileInvalid" | "FAILED_EVSEPresentVoltageToLow" | "FAILED_MeteringSignatureNotValid" | "FAILED_WrongEnergyTransferType";
  ContractSignatureCertChain: CertificateChainType;
  ContractSignatureEncryptedPrivateKey: Uint8Array;
  DHParams: Uint8Array;
  ContractID: string;
  RetryCounter: number;
}

/** {urn:din:70121:2012:MsgBody}ChargeParameterDiscoveryReqType */
export interface ChargeParameterDiscoveryReqType {
  EVRequestedEnergyTransferType: "AC_single_phase_core" | "AC_three_phase_core" | "DC_core" | "DC_extended" | "DC_combo_core" | "DC_unique";
  EVChargeParameter?: EVChargeParameterType;
  AC_EVChargeParameter?: AC_EVChargeParameterType;
  DC_EVChargeParameter?: DC_EVChargeParameterType;
}

/** {urn:din:70121:2012:MsgBody}ChargeParameterDiscoveryResType */
export interface ChargeParameterDiscoveryResType {
  ResponseCode: "OK" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_CertificateExpiresSoon" | "FAILED" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_UnknownSession" | "FAILED_ServiceSelectionInvalid" | "FAILED_PaymentSelectionInvalid" | "FAILED_CertificateExpired" | "FAILED_SignatureError" | "FAILED_NoCertificateAvailable" | "FAILED_CertChainError" | "FAILED_ChallengeInvalid" | "FAILED_ContractCanceled" | "FAILED_WrongChargeParameter" | "FAILED_PowerDeliveryNotApplied" | "FAILED_TariffSelectionInvalid" | "FAILED_ChargingProfileInvalid" | "FAILED_EVSEPresentVoltageToLow" | "FAILED_MeteringSignatureNotValid" | "FAILED_WrongEnergyTransferType";
  EVSEProcessing: "Finished" | "Ongoing";
  SASchedules?: SASchedulesType;
  SAScheduleList?: SAScheduleListType;
  EVSEChargeParameter?: EVSEChargeParameterType;
  AC_EVSEChargeParameter?: AC_EVSEChargeParameterType;
  DC_EVSEChargeParameter?: DC_EVSEChargeParameterType;
}

/** {urn:din:70121:2012:MsgDataTypes}ChargingProfileType */
export interface ChargingProfileType {
  SAScheduleTupleID: number;
  ProfileEntry: ProfileEntryType[];
}

/** {urn:din:70121:2012:MsgBody}ChargingStatusReqType */
export interface ChargingStatusReqType {
}

/** {urn:din:70121:2012:MsgBody}ChargingStatusResType */
export interface ChargingStatusResType {
  ResponseCode: "OK" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_CertificateExpiresSoon" | "FAILED" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_UnknownSession" | "FAILED_ServiceSelectionInvalid" | "FAILED_PaymentSelectionInvalid" | "FAILED_CertificateExpired" | "FAILED_SignatureError" | "FAILED_NoCertificateAvailable" | "FAILED_CertChainError" | "FAILED_ChallengeInvalid" | "FAILED_ContractCanceled" | "FAILED_WrongChargeParameter" | "FAILED_PowerDeliveryNotApplied" | "FAILED_TariffSelectionInvalid" | "FAILED_ChargingProfileInvalid" | "FAILED_EVSEPresentVoltageToLow" | "FAILED_MeteringSignatureNotValid" | "FAILED_WrongEnergyTransferType";
  EVSEID: Uint8Array;
  SAScheduleTupleID: number;
  EVSEMaxCurrent?: PhysicalValueType;
  MeterInfo?: MeterInfoType;
  ReceiptRequired: boolean;
  AC_EVSEStatus: AC_EVSEStatusType;
}

/** {urn:din:70121:2012:MsgDataTypes}ConsumptionCostType */
export interface ConsumptionCostType {
  startValue: number;
  Cost?: CostType[];
}

/** {urn:din:70121:2012:MsgBody}ContractAuthenticationReqType */
export interface ContractAuthenticationReqType {
  Id?: string;
  GenChallenge?: string;
}

/** {urn:din:70121:2012:MsgBody}ContractAuthenticationResType */
export interface ContractAuthenticationResType {
  ResponseCode: "OK" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_CertificateExpiresSoon" | "FAILED" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_UnknownSession" | "FAILED_ServiceSelectionInvalid" | "FAILED_PaymentSelectionInvalid" | "FAILED_CertificateExpired" | "FAILED_SignatureError" | "FAILED_NoCertificateAvailable" | "FAILED_CertChainError" | "FAILED_ChallengeInvalid" | "FAILED_ContractCanceled" | "FAILED_WrongChargeParameter" | "FAILED_PowerDeliveryNotApplied" | "FAILED_TariffSelectionInvalid" | "FAILED_ChargingProfileInvalid" | "FAILED_EVSEPresentVoltageToLow" | "FAILED_MeteringSignatureNotValid" | "FAILED_WrongEnergyTransferType";
  EVSEProcessing: "Finished" | "Ongoing";
}

/** {urn:din:70121:2012:MsgDataTypes}CostType */
export interface CostType {
  costKind: "relativePricePercentage" | "RenewableGenerationPercentage" | "CarbonDioxideEmission";
  amount: number;
  amountMultiplier?: number;
}

/** {urn:din:70121:2012:MsgBody}CurrentDemandReqType */
export interface CurrentDemandReqType {
  DC_EVStatus: DC_EVStatusType;
  EVTargetCurrent: PhysicalValueType;
  EVMaximumVoltageLimit?: PhysicalValueType;
  EVMaximumCurrentLimit?: PhysicalValueType;
  EVMaximumPowerLimit?: PhysicalValueType;
  BulkChargingComplete?: boolean;
  ChargingComplete: boolean;
  RemainingTimeToFullSoC?: PhysicalValueType;
  RemainingTimeToBulkSoC?: PhysicalValueType;
  EVTargetVoltage: PhysicalValueType;
}

/** {urn:din:70121:2012:MsgBody}CurrentDemandResType */
export interface CurrentDemandResType {
  ResponseCode: "OK" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_CertificateExpiresSoon" | "FAILED" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_UnknownSession" | "FAILED_ServiceSelectionInvalid" | "FAILED_PaymentSelectionInvalid" | "FAILED_CertificateExpired" | "FAILED_SignatureError" | "FAILED_NoCertificateAvailable" | "FAILED_CertChainError" | "FAILED_ChallengeInvalid" | "FAILED_ContractCanceled" | "FAILED_WrongChargeParameter" | "FAILED_PowerDeliveryNotApplied" | "FAILED_TariffSelectionInvalid" | "FAILED_ChargingProfileInvalid" | "FAILED_EVSEPresentVoltageToLow" | "FAILED_MeteringSignatureNotValid" | "FAILED_WrongEnergyTransferType";
  DC_EVSEStatus: DC_EVSEStatusType;
  EVSEPresentVoltage: PhysicalValueType;
  EVSEPresentCurrent: PhysicalValueType;
  EVSECurrentLimitAchieved: boolean;
  EVSEVoltageLimitAchieved: boolean;
  EVSEPowerLimitAchieved: boolean;
  EVSEMaximumVoltageLimit?: PhysicalValueType;
  EVSEMaximumCurrentLimit?: PhysicalValueType;
  EVSEMaximumPowerLimit?: PhysicalValueType;
}

/** {urn:din:70121:2012:MsgDataTypes}DC_EVChargeParameterType */
export interface DC_EVChargeParameterType {
  DC_EVStatus: DC_EVStatusType;
  EVMaximumCurrentLimit: PhysicalValueType;
  EVMaximumPowerLimit?: PhysicalValueType;
  EVMaximumVoltageLimit: PhysicalValueType;
  EVEnergyCapacity?: PhysicalValueType;
  EVEnergyRequest?: PhysicalValueType;
  FullSOC?: number;
  BulkSOC?: number;
}

/** {urn:din:70121:2012:MsgDataTypes}DC_EVPowerDeliveryParameterType */
export interface DC_EVPowerDeliveryParameterType {
  DC_EVStatus: DC_EVStatusType;
  BulkChargingComplete?: boolean;
  ChargingComplete: boolean;
}

/** {urn:din:70121:2012:MsgDataTypes}DC_EVSEChargeParameterType */
export interface DC_EVSEChargeParameterType {
  DC_EVSEStatus: DC_EVSEStatusType;
  EVSEMaximumCurrentLimit: PhysicalValueType;
  EVSEMaximumPowerLimit?: PhysicalValueType;
  EVSEMaximumVoltageLimit: PhysicalValueType;
  EVSEMinimumCurrentLimit: PhysicalValueType;
  EVSEMinimumVoltageLimit: PhysicalValueType;
  EVSECurrentRegulationTolerance?: PhysicalValueType;
  EVSEPeakCurrentRipple: PhysicalValueType;
  EVSEEnergyToBeDelivered?: PhysicalValueType;
}

/** {urn:din:70121:2012:MsgDataTypes}DC_EVSEStatusType */
export interface DC_EVSEStatusType {
  EVSEIsolationStatus?: "Invalid" | "Valid" | "Warning" | "Fault";
  EVSEStatusCode: "EVSE_NotReady" | "EVSE_Ready" | "EVSE_Shutdown" | "EVSE_UtilityInterruptEvent" | "EVSE_IsolationMonitoringActive" | "EVSE_EmergencyShutdown" | "EVSE_Malfunction" | "Reserved_8" | "Reserved_9" | "Reserved_A" | "Reserved_B" | "Reserved_C";
  NotificationMaxDelay: number;
  EVSENotification: "None" | "StopCharging" | "ReNegotiation";
}

/** {urn:din:70121:2012:MsgDataTypes}DC_EVStatusType */
export interface DC_EVStatusType {
  EVReady: boolean;
  EVCabinConditioning?: boolean;
  EVRESSConditioning?: boolean;
  EVErrorCode: "NO_ERROR" | "FAILED_RESSTemperatureInhibit" | "FAILED_EVShiftPosition" | "FAILED_ChargerConnectorLockFault" | "FAILED_EVRESSMalfunction" | "FAILED_ChargingCurrentdifferential" | "FAILED_ChargingVoltageOutOfRange" | "Reserved_A" | "Reserved_B" | "Reserved_C" | "FAILED_ChargingSystemIncompatibility" | "NoData";
  EVRESSSOC: number;
}

/** {urn:din:70121:2012:MsgDataTypes}EVChargeParameterType */
export interface EVChargeParameterType {
}

/** {urn:din:70121:2012:MsgDataTypes}EVPowerDeliveryParameterType */
export interface EVPowerDeliveryParameterType {
}

/** {urn:din:70121:2012:MsgDataTypes}EVSEChargeParameterType */
export interface EVSEChargeParameterType {
}

/** {urn:din:70121:2012:MsgDataTypes}EVSEStatusType */
export interface EVSEStatusType {
}

/** {urn:din:70121:2012:MsgDataTypes}EVStatusType */
export interface EVStatusType {
}

/** {urn:din:70121:2012:MsgDataTypes}EntryType */
export interface EntryType {
  TimeInterval?: IntervalType;
  RelativeTimeInterval?: RelativeTimeIntervalType;
}

/** {urn:din:70121:2012:MsgDataTypes}IntervalType */
export interface IntervalType {
}

/** {urn:din:70121:2012:MsgDataTypes}ListOfRootCertificateIDsType */
export interface ListOfRootCertificateIDsType {
  RootCertificateID: string[];
}

/** {urn:din:70121:2012:MsgHeader}MessageHeaderType */
export interface MessageHeaderType {
  SessionID: Uint8Array;
  Notification?: NotificationType;
  Signature?: SignatureType;
}

/** {urn:din:70121:2012:MsgDataTypes}MeterInfoType */
export interface MeterInfoType {
  MeterID: string;
  MeterReading?: PhysicalValueType;
  SigMeterReading?: Uint8Array;
  MeterStatus?: number;
  TMeter?: bigint;
}

/** {urn:din:70121:2012:MsgBody}MeteringReceiptReqType */
export interface MeteringReceiptReqType {
  Id?: string;
  SessionID: Uint8Array;
  SAScheduleTupleID?: number;
  MeterInfo: MeterInfoType;
}

/** {urn:din:70121:2012:MsgBody}MeteringReceiptResType */
export interface MeteringReceiptResType {
  ResponseCode: "OK" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_CertificateExpiresSoon" | "FAILED" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_UnknownSession" | "FAILED_ServiceSelectionInvalid" | "FAILED_PaymentSelectionInvalid" | "FAILED_CertificateExpired" | "FAILED_SignatureError" | "FAILED_NoCertificateAvailable" | "FAILED_CertChainError" | "FAILED_ChallengeInvalid" | "FAILED_ContractCanceled" | "FAILED_WrongChargeParameter" | "FAILED_PowerDeliveryNotApplied" | "FAILED_TariffSelectionInvalid" | "FAILED_ChargingProfileInvalid" | "FAILED_EVSEPresentVoltageToLow" | "FAILED_MeteringSignatureNotValid" | "FAILED_WrongEnergyTransferType";
  AC_EVSEStatus: AC_EVSEStatusType;
}

/** {urn:din:70121:2012:MsgDataTypes}NotificationType */
export interface NotificationType {
  FaultCode: "ParsingError" | "NoTLSRootCertificatAvailable" | "UnknownError";
  FaultMsg?: string;
}

/** {urn:din:70121:2012:MsgDataTypes}PMaxScheduleEntryType */
export interface PMaxScheduleEntryType {
  TimeInterval?: IntervalType;
  RelativeTimeInterval?: RelativeTimeIntervalType;
  PMax: number;
}

/** {urn:din:70121:2012:MsgDataTypes}PMaxScheduleType */
export interface PMaxScheduleType {
  PMaxScheduleID: number;
  PMaxScheduleEntry: PMaxScheduleEntryType[];
}

/** {urn:din:70121:2012:MsgDataTypes}ParameterSetType */
export interface ParameterSetType {
  ParameterSetID: number;
  Parameter: ParameterType[];
}

/** {urn:din:70121:2012:MsgDataTypes}ParameterType */
export interface ParameterType {
  Name: string;
  ValueType: "bool" | "byte" | "short" | "int" | "physicalValue" | "string";
  boolValue?: boolean;
  byteValue?: number;
  shortValue?: number;
  intValue?: number;
  physicalValue?: PhysicalValueType;
  stringValue?: string;
}

/** {urn:din:70121:2012:MsgBody}PaymentDetailsReqType */
export interface PaymentDetailsReqType {
  ContractID: string;
  ContractSignatureCertChain: CertificateChainType;
}

/** {urn:din:70121:2012:MsgBody}PaymentDetailsResType */
export interface PaymentDetailsResType {
  ResponseCode: "OK" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_CertificateExpiresSoon" | "FAILED" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_UnknownSession" | "FAILED_ServiceSelectionInvalid" | "FAILED_PaymentSelectionInvalid" | "FAILED_CertificateExpired" | "FAILED_SignatureError" | "FAILED_NoCertificateAvailable" | "FAILED_CertChainError" | "FAILED_ChallengeInvalid" | "FAILED_ContractCanceled" | "FAILED_WrongChargeParameter" | "FAILED_PowerDeliveryNotApplied" | "FAILED_TariffSelectionInvalid" | "FAILED_ChargingProfileInvalid" | "FAILED_EVSEPresentVoltageToLow" | "FAILED_MeteringSignatureNotValid" | "FAILED_WrongEnergyTransferType";
  GenChallenge: string;
  DateTimeNow: bigint;
}

/** {urn:din:70121:2012:MsgDataTypes}PaymentOptionsType */
export interface PaymentOptionsType {
  PaymentOption: ("Contract" | "ExternalPayment")[];
}

/** {urn:din:70121:2012:MsgDataTypes}PhysicalValueType */
export interface PhysicalValueType {
  Multiplier: number;
  Unit?: "h" | "m" | "s" | "A" | "Ah" | "V" | "VA" | "W" | "W/s" | "Wh";
  Value: number;
}

/** {urn:din:70121:2012:MsgBody}PowerDeliveryReqType */
export interface PowerDeliveryReqType {
  ReadyToChargeState: boolean;
  ChargingProfile?: ChargingProfileType;
  EVPowerDeliveryParameter?: EVPowerDeliveryParameterType;
  DC_EVPowerDeliveryParameter?: DC_EVPowerDeliveryParameterType;
}

/** {urn:din:70121:2012:MsgBody}PowerDeliveryResType */
export interface PowerDeliveryResType {
  ResponseCode: "OK" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_CertificateExpiresSoon" | "FAILED" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_UnknownSession" | "FAILED_ServiceSelectionInvalid" | "FAILED_PaymentSelectionInvalid" | "FAILED_CertificateExpired" | "FAILED_SignatureError" | "FAILED_NoCertificateAvailable" | "FAILED_CertChainError" | "FAILED_ChallengeInvalid" | "FAILED_ContractCanceled" | "FAILED_WrongChargeParameter" | "FAILED_PowerDeliveryNotApplied" | "FAILED_TariffSelectionInvalid" | "FAILED_ChargingProfileInvalid" | "FAILED_EVSEPresentVoltageToLow" | "FAILED_MeteringSignatureNotValid" | "FAILED_WrongEnergyTransferType";
  EVSEStatus?: EVSEStatusType;
  AC_EVSEStatus?: AC_EVSEStatusType;
  DC_EVSEStatus?: DC_EVSEStatusType;
}

/** {urn:din:70121:2012:MsgBody}PreChargeReqType */
export interface PreChargeReqType {
  DC_EVStatus: DC_EVStatusType;
  EVTargetVoltage: PhysicalValueType;
  EVTargetCurrent: PhysicalValueType;
}

/** {urn:din:70121:2012:MsgBody}PreChargeResType */
export interface PreChargeResType {
  ResponseCode: "OK" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_CertificateExpiresSoon" | "FAILED" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_UnknownSession" | "FAILED_ServiceSelectionInvalid" | "FAILED_PaymentSelectionInvalid" | "FAILED_CertificateExpired" | "FAILED_SignatureError" | "FAILED_NoCertificateAvailable" | "FAILED_CertChainError" | "FAILED_ChallengeInvalid" | "FAILED_ContractCanceled" | "FAILED_WrongChargeParameter" | "FAILED_PowerDeliveryNotApplied" | "FAILED_TariffSelectionInvalid" | "FAILED_ChargingProfileInvalid" | "FAILED_EVSEPresentVoltageToLow" | "FAILED_MeteringSignatureNotValid" | "FAILED_WrongEnergyTransferType";
  DC_EVSEStatus: DC_EVSEStatusType;
  EVSEPresentVoltage: PhysicalValueType;
}

/** {urn:din:70121:2012:MsgDataTypes}ProfileEntryType */
export interface ProfileEntryType {
  ChargingProfileEntryStart: number;
  ChargingProfileEntryMaxPower: number;
}

/** {urn:din:70121:2012:MsgDataTypes}RelativeTimeIntervalType */
export interface RelativeTimeIntervalType {
  start: number;
  duration?: number;
}

/** {urn:din:70121:2012:MsgDataTypes}SAScheduleListType */
export interface SAScheduleListType {
  SAScheduleTuple: SAScheduleTupleType[];
}

/** {urn:din:70121:2012:MsgDataTypes}SAScheduleTupleType */
export interface SAScheduleTupleType {
  SAScheduleTupleID: number;
  PMaxSchedule: PMaxScheduleType;
  SalesTariff?: SalesTariffType;
}

/** {urn:din:70121:2012:MsgDataTypes}SASchedulesType */
export interface SASchedulesType {
}

/** {urn:din:70121:2012:MsgDataTypes}SalesTariffEntryType */
export interface SalesTariffEntryType {
  TimeInterval?: IntervalType;
  RelativeTimeInterval?: RelativeTimeIntervalType;
  EPriceLevel: number;
  ConsumptionCost?: ConsumptionCostType[];
}

/** {urn:din:70121:2012:MsgDataTypes}SalesTariffType */
export interface SalesTariffType {
  Id: string;
  SalesTariffID: number;
  SalesTariffDescription?: string;
  NumEPriceLevels: number;
  SalesTariffEntry: SalesTariffEntryType[];
}

/** {urn:din:70121:2012:MsgDataTypes}SelectedServiceListType */
export interface SelectedServiceListType {
  SelectedService: SelectedServiceType[];
}

/** {urn:din:70121:2012:MsgDataTypes}SelectedServiceType */
export interface SelectedServiceType {
  ServiceID: number;
  ParameterSetID?: number;
}

/** {urn:din:70121:2012:MsgDataTypes}ServiceChargeType */
export interface ServiceChargeType {
  ServiceTag: ServiceTagType;
  FreeService: boolean;
  EnergyTransferType: "AC_single_phase_core" | "AC_three_phase_core" | "DC_core" | "DC_extended" | "DC_combo_core" | "DC_dual" | "AC_core1p_DC_extended" | "AC_single_DC_core" | "AC_single_phase_three_phase_core_DC_extended" | "AC_core3p_DC_extended";
}

/** {urn:din:70121:2012:MsgBody}ServiceDetailReqType */
export interface ServiceDetailReqType {
  ServiceID: number;
}

/** {urn:din:70121:2012:MsgBody}ServiceDetailResType */
export interface ServiceDetailResType {
  ResponseCode: "OK" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_CertificateExpiresSoon" | "FAILED" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_UnknownSession" | "FAILED_ServiceSelectionInvalid" | "FAILED_PaymentSelectionInvalid" | "FAILED_CertificateExpired" | "FAILED_SignatureError" | "FAILED_NoCertificateAvailable" | "FAILED_CertChainError" | "FAILED_ChallengeInvalid" | "FAILED_ContractCanceled" | "FAILED_WrongChargeParameter" | "FAILED_PowerDeliveryNotApplied" | "FAILED_TariffSelectionInvalid" | "FAILED_ChargingProfileInvalid" | "FAILED_EVSEPresentVoltageToLow" | "FAILED_MeteringSignatureNotValid" | "FAILED_WrongEnergyTransferType";
  ServiceID: number;
  ServiceParameterList?: ServiceParameterListType;
}

/** {urn:din:70121:2012:MsgBody}ServiceDiscoveryReqType */
export interface ServiceDiscoveryReqType {
  ServiceScope?: string;
  ServiceCategory?: "EVCharging" | "Internet" | "ContractCertificate" | "OtherCustom";
}

/** {urn:din:70121:2012:MsgBody}ServiceDiscoveryResType */
export interface ServiceDiscoveryResType {
  ResponseCode: "OK" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_CertificateExpiresSoon" | "FAILED" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_UnknownSession" | "FAILED_ServiceSelectionInvalid" | "FAILED_PaymentSelectionInvalid" | "FAILED_CertificateExpired" | "FAILED_SignatureError" | "FAILED_NoCertificateAvailable" | "FAILED_CertChainError" | "FAILED_ChallengeInvalid" | "FAILED_ContractCanceled" | "FAILED_WrongChargeParameter" | "FAILED_PowerDeliveryNotApplied" | "FAILED_TariffSelectionInvalid" | "FAILED_ChargingProfileInvalid" | "FAILED_EVSEPresentVoltageToLow" | "FAILED_MeteringSignatureNotValid" | "FAILED_WrongEnergyTransferType";
  PaymentOptions: PaymentOptionsType;
  ChargeService: ServiceChargeType;
  ServiceList?: ServiceTagListType;
}

/** {urn:din:70121:2012:MsgDataTypes}ServiceParameterListType */
export interface ServiceParameterListType {
  ParameterSet: ParameterSetType[];
}

/** {urn:din:70121:2012:MsgBody}ServicePaymentSelectionReqType */
export interface ServicePaymentSelectionReqType {
  SelectedPaymentOption: "Contract" | "ExternalPayment";
  SelectedServiceList: SelectedServiceListType;
}

/** {urn:din:70121:2012:MsgBody}ServicePaymentSelectionResType */
export interface ServicePaymentSelectionResType {
  ResponseCode: "OK" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_CertificateExpiresSoon" | "FAILED" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_UnknownSession" | "FAILED_ServiceSelectionInvalid" | "FAILED_PaymentSelectionInvalid" | "FAILED_CertificateExpired" | "FAILED_SignatureError" | "FAILED_NoCertificateAvailable" | "FAILED_CertChainError" | "FAILED_ChallengeInvalid" | "FAILED_ContractCanceled" | "FAILED_WrongChargeParameter" | "FAILED_PowerDeliveryNotApplied" | "FAILED_TariffSelectionInvalid" | "FAILED_ChargingProfileInvalid" | "FAILED_EVSEPresentVoltageToLow" | "FAILED_MeteringSignatureNotValid" | "FAILED_WrongEnergyTransferType";
}

/** {urn:din:70121:2012:MsgDataTypes}ServiceTagListType */
export interface ServiceTagListType {
  Service: ServiceType[];
}

/** {urn:din:70121:2012:MsgDataTypes}ServiceTagType */
export interface ServiceTagType {
  ServiceID: number;
  ServiceName?: string;
  ServiceCategory: "EVCharging" | "Internet" | "ContractCertificate" | "OtherCustom";
  ServiceScope?: string;
}

/** {urn:din:70121:2012:MsgDataTypes}ServiceType */
export interface ServiceType {
  ServiceTag: ServiceTagType;
  FreeService: boolean;
}

/** {urn:din:70121:2012:MsgBody}SessionSetupReqType */
export interface SessionSetupReqType {
  EVCCID: Uint8Array;
}

/** {urn:din:70121:2012:MsgBody}SessionSetupResType */
export interface SessionSetupResType {
  ResponseCode: "OK" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_CertificateExpiresSoon" | "FAILED" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_UnknownSession" | "FAILED_ServiceSelectionInvalid" | "FAILED_PaymentSelectionInvalid" | "FAILED_CertificateExpired" | "FAILED_SignatureError" | "FAILED_NoCertificateAvailable" | "FAILED_CertChainError" | "FAILED_ChallengeInvalid" | "FAILED_ContractCanceled" | "FAILED_WrongChargeParameter" | "FAILED_PowerDeliveryNotApplied" | "FAILED_TariffSelectionInvalid" | "FAILED_ChargingProfileInvalid" | "FAILED_EVSEPresentVoltageToLow" | "FAILED_MeteringSignatureNotValid" | "FAILED_WrongEnergyTransferType";
  EVSEID: Uint8Array;
  DateTimeNow?: bigint;
}

/** {urn:din:70121:2012:MsgBody}SessionStopResType */
export interface SessionStopResType {
  ResponseCode: "OK" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_CertificateExpiresSoon" | "FAILED" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_UnknownSession" | "FAILED_ServiceSelectionInvalid" | "FAILED_PaymentSelectionInvalid" | "FAILED_CertificateExpired" | "FAILED_SignatureError" | "FAILED_NoCertificateAvailable" | "FAILED_CertChainError" | "FAILED_ChallengeInvalid" | "FAILED_ContractCanceled" | "FAILED_WrongChargeParameter" | "FAILED_PowerDeliveryNotApplied" | "FAILED_TariffSelectionInvalid" | "FAILED_ChargingProfileInvalid" | "FAILED_EVSEPresentVoltageToLow" | "FAILED_MeteringSignatureNotValid" | "FAILED_WrongEnergyTransferType";
}

/** {urn:din:70121:2012:MsgBody}SessionStopType */
export interface SessionStopType {
}

/** {urn:din:70121:2012:MsgDataTypes}SubCertificatesType */
export interface SubCertificatesType {
  Certificate: Uint8Array[];
}

/** anonymous type (V2G_CI_MsgDef.xsd:5) */
export interface V2G_MessageType {
  Header: MessageHeaderType;
  Body: BodyType;
}

/** {urn:din:70121:2012:MsgBody}WeldingDetectionReqType */
export interface WeldingDetectionReqType {
  DC_EVStatus: DC_EVStatusType;
}

/** {urn:din:70121:2012:MsgBody}WeldingDetectionResType */
export interface WeldingDetectionResType {
  ResponseCode: "OK" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_CertificateExpiresSoon" | "FAILED" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_UnknownSession" | "FAILED_ServiceSelectionInvalid" | "FAILED_PaymentSelectionInvalid" | "FAILED_CertificateExpired" | "FAILED_SignatureError" | "FAILED_NoCertificateAvailable" | "FAILED_CertChainError" | "FAILED_ChallengeInvalid" | "FAILED_ContractCanceled" | "FAILED_WrongChargeParameter" | "FAILED_PowerDeliveryNotApplied" | "FAILED_TariffSelectionInvalid" | "FAILED_ChargingProfileInvalid" | "FAILED_EVSEPresentVoltageToLow" | "FAILED_MeteringSignatureNotValid" | "FAILED_WrongEnergyTransferType";
  DC_EVSEStatus: DC_EVSEStatusType;
  EVSEPresentVoltage: PhysicalValueType;
}

/** The global elements of this schema set and the type of their content. */
export interface DinElements {
  "AC_EVChargeParameter": AC_EVChargeParameterType;
  "AC_EVSEChargeParameter": AC_EVSEChargeParameterType;
  "AC_EVSEStatus": AC_EVSEStatusType;
  "BodyElement": BodyBaseType;
  "CableCheckReq": CableCheckReqType;
  "CableCheckRes": CableCheckResType;
  "CanonicalizationMethod": CanonicalizationMethodType;
  "CertificateInstallationReq": CertificateInstallationReqType;
  "CertificateInstallationRes": CertificateInstallationResType;
  "CertificateUpdateReq": CertificateUpdateReqType;
  "CertificateUpdateRes": CertificateUpdateResType;
  "ChargeParameterDiscoveryReq": ChargeParameterDiscoveryReqType;
  "ChargeParameterDiscoveryRes": ChargeParameterDiscoveryResType;
  "ChargingStatusReq": ChargingStatusReqType;
  "ChargingStatusRes": ChargingStatusResType;
  "ContractAuthenticationReq": ContractAuthenticationReqType;
  "ContractAuthenticationRes": ContractAuthenticationResType;
  "CurrentDemandReq": CurrentDemandReqType;
  "CurrentDemandRes": CurrentDemandResType;
  "DC_EVChargeParameter": DC_EVChargeParameterType;
  "DC_EVPowerDeliveryParameter": DC_EVPowerDeliveryParameterType;
  "DC_EVSEChargeParameter": DC_EVSEChargeParameterType;
  "DC_EVSEStatus": DC_EVSEStatusType;
  "DC_EVStatus": DC_EVStatusType;
  "DSAKeyValue": DSAKeyValueType;
  "DigestMethod": DigestMethodType;
  "DigestValue": Uint8Array;
  "EVChargeParameter": EVChargeParameterType;
  "EVPowerDeliveryParameter": EVPowerDeliveryParameterType;
  "EVSEChargeParameter": EVSEChargeParameterType;
  "EVSEStatus": EVSEStatusType;
  "EVStatus": EVStatusType;
  "Entry": EntryType;
  "KeyInfo": KeyInfoType;
  "KeyName": string;
  "KeyValue": KeyValueType;
  "Manifest": ManifestType;
  "MeteringReceiptReq": MeteringReceiptReqType;
  "MeteringReceiptRes": MeteringReceiptResType;
  "MgmtData": string;
  "Object": ObjectType;
  "PGPData": PGPDataType;
  "PMaxScheduleEntry": PMaxScheduleEntryType;
  "PaymentDetailsReq": PaymentDetailsReqType;
  "PaymentDetailsRes": PaymentDetailsResType;
  "PowerDeliveryReq": PowerDeliveryReqType;
  "PowerDeliveryRes": PowerDeliveryResType;
  "PreChargeReq": PreChargeReqType;
  "PreChargeRes": PreChargeResType;
  "RSAKeyValue": RSAKeyValueType;
  "Reference": ReferenceType;
  "RelativeTimeInterval": RelativeTimeIntervalType;
  "RetrievalMethod": RetrievalMethodType;
  "SAScheduleList": SAScheduleListType;
  "SASchedules": SASchedulesType;
  "SPKIData": SPKIDataType;
  "SalesTariffEntry": SalesTariffEntryType;
  "ServiceCharge": ServiceChargeType;
  "ServiceDetailReq": ServiceDetailReqType;
  "ServiceDetailRes": ServiceDetailResType;
  "ServiceDiscoveryReq": ServiceDiscoveryReqType;
  "ServiceDiscoveryRes": ServiceDiscoveryResType;
  "ServicePaymentSelectionReq": ServicePaymentSelectionReqType;
  "ServicePaymentSelectionRes": ServicePaymentSelectionResType;
  "SessionSetupReq": SessionSetupReqType;
  "SessionSetupRes": SessionSetupResType;
  "SessionStopReq": SessionStopType;
  "SessionStopRes": SessionStopResType;
  "Signature": SignatureType;
  "SignatureMethod": SignatureMethodType;
  "SignatureProperties": SignaturePropertiesType;
  "SignatureProperty": SignaturePropertyType;
  "SignatureValue": SignatureValueType;
  "SignedInfo": SignedInfoType;
  "TimeInterval": IntervalType;
  "Transform": TransformType;
  "Transforms": TransformsType;
  "V2G_Message": V2G_MessageType;
  "WeldingDetectionReq": WeldingDetectionReqType;
  "WeldingDetectionRes": WeldingDetectionResType;
  "X509Data": X509DataType;
}
