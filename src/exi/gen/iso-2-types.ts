// GENERATED FILE — do not edit. Regenerate with `npm run generate`.
// Generator: tools/exi-codegen v1; schema set 'iso-2' (ISO 15118-2:2013 MsgDef).
// Sources (read from the shared schema directory, not part of this repository):
//   iso15118-2/V2G_CI_MsgBody.xsd sha256=c5a87c1892055567f376263ac4dc9281748042c1eb4fae656ba500b939dc5a3f
//   iso15118-2/V2G_CI_MsgDataTypes.xsd sha256=b5fcbe7caec20b0e5faf349d9ca4ea46bd99c60c9895b3d82f71179130d3a292
//   iso15118-2/V2G_CI_MsgDef.xsd sha256=c1ced37fcf5040853490d3c79549aa8cbace1ac34872e7ddb0f1b21a0f2933d2
//   iso15118-2/V2G_CI_MsgHeader.xsd sha256=f262effcb07ff071be847358fcd0b45db90a98f93131ba0e0696418bc20ca9a3
//   iso15118-2/xmldsig-core-schema.xsd sha256=888e0823243920b421304016ef5eef74bed5a8f083605bf8e6a609f43bc5c3b8
/* biome-ignore-all format: generated */

// Typed message model: one interface per complex type. Attributes and child elements are
// properties named by their local name; repeated children are arrays; simple content is `$value`.
// Interfaces identical to those of another schema set are imported from it, not repeated.
import type { AnyType, CanonicalizationMethodType, DSAKeyValueType, DigestMethodType, KeyInfoType, KeyValueType, ManifestType, ObjectType, PGPDataType, RSAKeyValueType, ReferenceType, RetrievalMethodType, SPKIDataType, SignatureMethodType, SignaturePropertiesType, SignaturePropertyType, SignatureType, SignatureValueType, SignedInfoType, TransformType, TransformsType, X509DataType, X509IssuerSerialType } from './xmldsig-types.ts';
export type { AnyType, CanonicalizationMethodType, DSAKeyValueType, DigestMethodType, KeyInfoType, KeyValueType, ManifestType, ObjectType, PGPDataType, RSAKeyValueType, ReferenceType, RetrievalMethodType, SPKIDataType, SignatureMethodType, SignaturePropertiesType, SignaturePropertyType, SignatureType, SignatureValueType, SignedInfoType, TransformType, TransformsType, X509DataType, X509IssuerSerialType } from './xmldsig-types.ts';

/** {urn:iso:15118:2:2013:MsgDataTypes}AC_EVChargeParameterType */
export interface AC_EVChargeParameterType {
  DepartureTime?: number;
  EAmount: PhysicalValueType;
  EVMaxVoltage: PhysicalValueType;
  EVMaxCurrent: PhysicalValueType;
  EVMinCurrent: PhysicalValueType;
}

/** {urn:iso:15118:2:2013:MsgDataTypes}AC_EVSEChargeParameterType */
export interface AC_EVSEChargeParameterType {
  AC_EVSEStatus: AC_EVSEStatusType;
  EVSENominalVoltage: PhysicalValueType;
  EVSEMaxCurrent: PhysicalValueType;
}

/** {urn:iso:15118:2:2013:MsgDataTypes}AC_EVSEStatusType */
export interface AC_EVSEStatusType {
  NotificationMaxDelay: number;
  EVSENotification: "None" | "StopCharging" | "ReNegotiation";
  RCD: boolean;
}

/** {urn:iso:15118:2:2013:MsgBody}AuthorizationReqType */
export interface AuthorizationReqType {
  Id?: string;
  GenChallenge?: Uint8Array;
}

/** {urn:iso:15118:2:2013:MsgBody}AuthorizationResType */
export interface AuthorizationResType {
  ResponseCode: "OK" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_CertificateExpiresSoon" | "FAILED" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_UnknownSession" | "FAILED_ServiceSelectionInvalid" | "FAILED_PaymentSelectionInvalid" | "FAILED_CertificateExpired" | "FAILED_SignatureError" | "FAILED_NoCertificateAvailable" | "FAILED_CertChainError" | "FAILED_ChallengeInvalid" | "FAILED_ContractCanceled" | "FAILED_WrongChargeParameter" | "FAILED_PowerDeliveryNotApplied" | "FAILED_TariffSelectionInvalid" | "FAILED_ChargingProfileInvalid" | "FAILED_MeteringSignatureNotValid" | "FAILED_NoChargeServiceSelected" | "FAILED_WrongEnergyTransferMode" | "FAILED_ContactorError" | "FAILED_CertificateNotAllowedAtThisEVSE" | "FAILED_CertificateRevoked";
  EVSEProcessing: "Finished" | "Ongoing" | "Ongoing_WaitingForCustomerInteraction";
}

/** {urn:iso:15118:2:2013:MsgBody}BodyBaseType */
export interface BodyBaseType {
}

/** {urn:iso:15118:2:2013:MsgBody}BodyType */
export interface BodyType {
  BodyElement?: BodyBaseType;
  AuthorizationReq?: AuthorizationReqType;
  AuthorizationRes?: AuthorizationResType;
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
  CurrentDemandReq?: CurrentDemandReqType;
  CurrentDemandRes?: CurrentDemandResType;
  MeteringReceiptReq?: MeteringReceiptReqType;
  MeteringReceiptRes?: MeteringReceiptResType;
  PaymentDetailsReq?: PaymentDetailsReqType;
  PaymentDetailsRes?: PaymentDetailsResType;
  PaymentServiceSelectionReq?: PaymentServiceSelectionReqType;
  PaymentServiceSelectionRes?: PaymentServiceSelectionResType;
  PowerDeliveryReq?: PowerDeliveryReqType;
  PowerDeliveryRes?: PowerDeliveryResType;
  PreChargeReq?: PreChargeReqType;
  PreChargeRes?: PreChargeResType;
  ServiceDetailReq?: ServiceDetailReqType;
  ServiceDetailRes?: ServiceDetailResType;
  ServiceDiscoveryReq?: ServiceDiscoveryReqType;
  ServiceDiscoveryRes?: ServiceDiscoveryResType;
  SessionSetupReq?: SessionSetupReqType;
  SessionSetupRes?: SessionSetupResType;
  SessionStopReq?: SessionStopReqType;
  SessionStopRes?: SessionStopResType;
  WeldingDetectionReq?: WeldingDetectionReqType;
  WeldingDetectionRes?: WeldingDetectionResType;
}

/** {urn:iso:15118:2:2013:MsgBody}CableCheckReqType */
export interface CableCheckReqType {
  DC_EVStatus: DC_EVStatusType;
}

/** {urn:iso:15118:2:2013:MsgBody}CableCheckResType */
export interface CableCheckResType {
  ResponseCode: "OK" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_CertificateExpiresSoon" | "FAILED" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_UnknownSession" | "FAILED_ServiceSelectionInvalid" | "FAILED_PaymentSelectionInvalid" | "FAILED_CertificateExpired" | "FAILED_SignatureError" | "FAILED_NoCertificateAvailable" | "FAILED_CertChainError" | "FAILED_ChallengeInvalid" | "FAILED_ContractCanceled" | "FAILED_WrongChargeParameter" | "FAILED_PowerDeliveryNotApplied" | "FAILED_TariffSelectionInvalid" | "FAILED_ChargingProfileInvalid" | "FAILED_MeteringSignatureNotValid" | "FAILED_NoChargeServiceSelected" | "FAILED_WrongEnergyTransferMode" | "FAILED_ContactorError" | "FAILED_CertificateNotAllowedAtThisEVSE" | "FAILED_CertificateRevoked";
  DC_EVSEStatus: DC_EVSEStatusType;
  EVSEProcessing: "Finished" | "Ongoing" | "Ongoing_WaitingForCustomerInteraction";
}

/** {urn:iso:15118:2:2013:MsgDataTypes}CertificateChainType */
export interface CertificateChainType {
  Id?: string;
  Certificate: Uint8Array;
  SubCertificates?: SubCertificatesType;
}

/** {urn:iso:15118:2:2013:MsgBody}CertificateInstallationReqType */
export interface CertificateInstallationReqType {
  Id: string;
  OEMProvisioningCert: Uint8Array;
  ListOfRootCertificateIDs: ListOfRootCertificateIDsType;
}

/** {urn:iso:15118:2:2013:MsgBody}CertificateInstallationResType */
export interface CertificateInstallationResType {
  ResponseCode: "OK" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_CertificateExpiresSoon" | "FAILED" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_UnknownSession" | "FAILED_ServiceSelectionInvalid" | "FAILED_PaymentSelectionInvalid" | "FAILED_CertificateExpired" | "FAILED_SignatureError" | "FAILED_NoCertificateAvailable" | "FAILED_CertChainError" | "FAILED_ChallengeInvalid" | "FAILED_ContractCanceled" | "FAILED_WrongChargeParameter" | "FAILED_PowerDeliveryNotApplied" | "FAILED_TariffSelectionInvalid" | "FAILED_ChargingProfileInvalid" | "FAILED_MeteringSignatureNotValid" | "FAILED_NoChargeServiceSelected" | "FAILED_WrongEnergyTransferMode" | "FAILED_ContactorError" | "FAILED_CertificateNotAllowedAtThisEVSE" | "FAILED_CertificateRevoked";
  SAProvisioningCertificateChain: CertificateChainType;
  ContractSignatureCertChain: CertificateChainType;
  ContractSignatureEncryptedPrivateKey: ContractSignatureEncryptedPrivateKeyType;
  DHpublickey: DiffieHellmanPublickeyType;
  eMAID: EMAIDType;
}

/** {urn:iso:15118:2:2013:MsgBody}CertificateUpdateReqType */
export interface CertificateUpdateReqType {
  Id: string;
  ContractSignatureCertChain: CertificateChainType;
  eMAID: string;
  ListOfRootCertificateIDs: ListOfRootCertificateIDsType;
}

/** {urn:iso:15118:2:2013:MsgBody}CertificateUpdateResType */
export interface CertificateUpdateResType {
  ResponseCode: "OK" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_CertificateExpiresSoon" | "FAILED" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_UnknownSession" | "FAILED_ServiceSelectionInvalid" | "FAILED_PaymentSelectionInvalid" | "FAILED_CertificateExpired" | "FAILED_SignatureError" | "FAILED_NoCertificateAvailable" | "FAILED_CertChainError" | "FAILED_ChallengeInvalid" | "FAILED_ContractCanceled" | "FAILED_WrongChargeParameter" | "FAILED_PowerDeliveryNotApplied" | "FAILED_TariffSelectionInvalid" | "FAILED_ChargingProfileInvalid" | "FAILED_MeteringSignatureNotValid" | "FAILED_NoChargeServiceSelected" | "FAILED_WrongEnergyTransferMode" | "FAILED_ContactorError" | "FAILED_CertificateNotAllowedAtThisEVSE" | "FAILED_CertificateRevoked";
  SAProvisioningCertificateChain: CertificateChainType;
  ContractSignatureCertChain: CertificateChainType;
  ContractSignatureEncryptedPrivateKey: ContractSignatureEncryptedPrivateKeyType;
  DHpublickey: DiffieHellmanPublickeyType;
  eMAID: EMAIDType;
  RetryCounter?: number;
}

/** {urn:iso:15118:2:2013:MsgBody}ChargeParameterDiscoveryReqType */
export interface ChargeParameterDiscoveryReqType {
  MaxEntriesSAScheduleTuple?: number;
  RequestedEnergyTransferMode: "AC_single_phase_core" | "AC_three_phase_core" | "DC_core" | "DC_extended" | "DC_combo_core" | "DC_unique";
  EVChargeParameter?: EVChargeParameterType;
  AC_EVChargeParameter?: AC_EVChargeParameterType;
  DC_EVChargeParameter?: DC_EVChargeParameterType;
}

/** {urn:iso:15118:2:2013:MsgBody}ChargeParameterDiscoveryResType */
export interface ChargeParameterDiscoveryResType {
  ResponseCode: "OK" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_CertificateExpiresSoon" | "FAILED" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_UnknownSession" | "FAILED_ServiceSelectionInvalid" | "FAILED_PaymentSelectionInvalid" | "FAILED_CertificateExpired" | "FAILED_SignatureError" | "FAILED_NoCertificateAvailable" | "FAILED_CertChainError" | "FAILED_ChallengeInvalid" | "FAILED_ContractCanceled" | "FAILED_WrongChargeParameter" | "FAILED_PowerDeliveryNotApplied" | "FAILED_TariffSelectionInvalid" | "FAILED_ChargingProfileInvalid" | "FAILED_MeteringSignatureNotValid" | "FAILED_NoChargeServiceSelected" | "FAILED_WrongEnergyTransferMode" | "FAILED_ContactorError" | "FAILED_CertificateNotAllowedAtThisEVSE" | "FAILED_CertificateRevoked";
  EVSEProcessing: "Finished" | "Ongoing" | "Ongoing_WaitingForCustomerInteraction";
  SASchedules?: SASchedulesType;
  SAScheduleList?: SAScheduleListType;
  EVSEChargeParameter?: EVSEChargeParameterType;
  AC_EVSEChargeParameter?: AC_EVSEChargeParameterType;
  DC_EVSEChargeParameter?: DC_EVSEChargeParameterType;
}

/** {urn:iso:15118:2:2013:MsgDataTypes}ChargeServiceType */
export interface ChargeServiceType {
  ServiceID: number;
  ServiceName?: string;
  ServiceCategory: "EVCharging" | "Internet" | "ContractCertificate" | "OtherCustom";
  ServiceScope?: string;
  FreeService: boolean;
  SupportedEnergyTransferMode: SupportedEnergyTransferModeType;
}

/** {urn:iso:15118:2:2013:MsgDataTypes}ChargingProfileType */
export interface ChargingProfileType {
  ProfileEntry: ProfileEntryType[];
}

/** {urn:iso:15118:2:2013:MsgBody}ChargingStatusReqType */
export interface ChargingStatusReqType {
}

/** {urn:iso:15118:2:2013:MsgBody}ChargingStatusResType */
export interface ChargingStatusResType {
  ResponseCode: "OK" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_CertificateExpiresSoon" | "FAILED" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_UnknownSession" | "FAILED_ServiceSelectionInvalid" | "FAILED_PaymentSelectionInvalid" | "FAILED_CertificateExpired" | "FAILED_SignatureError" | "FAILED_NoCertificateAvailable" | "FAILED_CertChainError" | "FAILED_ChallengeInvalid" | "FAILED_ContractCanceled" | "FAILED_WrongChargeParameter" | "FAILED_PowerDeliveryNotApplied" | "FAILED_TariffSelectionInvalid" | "FAILED_ChargingProfileInvalid" | "FAILED_MeteringSignatureNotValid" | "FAILED_NoChargeServiceSelected" | "FAILED_WrongEnergyTransferMode" | "FAILED_ContactorError" | "FAILED_CertificateNotAllowedAtThisEVSE" | "FAILED_CertificateRevoked";
  EVSEID: string;
  SAScheduleTupleID: number;
  EVSEMaxCurrent?: PhysicalValueType;
  MeterInfo?: MeterInfoType;
  ReceiptRequired?: boolean;
  AC_EVSEStatus: AC_EVSEStatusType;
}

/** {urn:iso:15118:2:2013:MsgDataTypes}ConsumptionCostType */
export interface ConsumptionCostType {
  startValue: PhysicalValueType;
  Cost: CostType[];
}

/** {urn:iso:15118:2:2013:MsgDataTypes}ContractSignatureEncryptedPrivateKeyType */
export interface ContractSignatureEncryptedPrivateKeyType {
  Id: string;
  $value: Uint8Array;
}

/** {urn:iso:15118:2:2013:MsgDataTypes}CostType */
export interface CostType {
  costKind: "relativePricePercentage" | "RenewableGenerationPercentage" | "CarbonDioxideEmission";
  amount: number;
  amountMultiplier?: number;
}

/** {urn:iso:15118:2:2013:MsgBody}CurrentDemandReqType */
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

/** {urn:iso:15118:2:2013:MsgBody}CurrentDemandResType */
export interface CurrentDemandResType {
  ResponseCode: "OK" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_CertificateExpiresSoon" | "FAILED" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_UnknownSession" | "FAILED_ServiceSelectionInvalid" | "FAILED_PaymentSelectionInvalid" | "FAILED_CertificateExpired" | "FAILED_SignatureError" | "FAILED_NoCertificateAvailable" | "FAILED_CertChainError" | "FAILED_ChallengeInvalid" | "FAILED_ContractCanceled" | "FAILED_WrongChargeParameter" | "FAILED_PowerDeliveryNotApplied" | "FAILED_TariffSelectionInvalid" | "FAILED_ChargingProfileInvalid" | "FAILED_MeteringSignatureNotValid" | "FAILED_NoChargeServiceSelected" | "FAILED_WrongEnergyTransferMode" | "FAILED_ContactorError" | "FAILED_CertificateNotAllowedAtThisEVSE" | "FAILED_CertificateRevoked";
  DC_EVSEStatus: DC_EVSEStatusType;
  EVSEPresentVoltage: PhysicalValueType;
  EVSEPresentCurrent: PhysicalValueType;
  EVSECurrentLimitAchieved: boolean;
  EVSEVoltageLimitAchieved: boolean;
  EVSEPowerLimitAchieved: boolean;
  EVSEMaximumVoltageLimit?: PhysicalValueType;
  EVSEMaximumCurrentLimit?: PhysicalValueType;
  EVSEMaximumPowerLimit?: PhysicalValueType;
  EVSEID: string;
  SAScheduleTupleID: number;
  MeterInfo?: MeterInfoType;
  ReceiptRequired?: boolean;
}

/** {urn:iso:15118:2:2013:MsgDataTypes}DC_EVChargeParameterType */
export interface DC_EVChargeParameterType {
  DepartureTime?: number;
  DC_EVStatus: DC_EVStatusType;
  EVMaximumCurrentLimit: PhysicalValueType;
  EVMaximumPowerLimit?: PhysicalValueType;
  EVMaximumVoltageLimit: PhysicalValueType;
  EVEnergyCapacity?: PhysicalValueType;
  EVEnergyRequest?: PhysicalValueType;
  FullSOC?: number;
  BulkSOC?: number;
}

/** {urn:iso:15118:2:2013:MsgDataTypes}DC_EVPowerDeliveryParameterType */
export interface DC_EVPowerDeliveryParameterType {
  DC_EVStatus: DC_EVStatusType;
  BulkChargingComplete?: boolean;
  ChargingComplete: boolean;
}

/** {urn:iso:15118:2:2013:MsgDataTypes}DC_EVSEChargeParameterType */
export interface DC_EVSEChargeParameterType {
  DC_EVSEStatus: DC_EVSEStatusType;
  EVSEMaximumCurrentLimit: PhysicalValueType;
  EVSEMaximumPowerLimit: PhysicalValueType;
  EVSEMaximumVoltageLimit: PhysicalValueType;
  EVSEMinimumCurrentLimit: PhysicalValueType;
  EVSEMinimumVoltageLimit: PhysicalValueType;
  EVSECurrentRegulationTolerance?: PhysicalValueType;
  EVSEPeakCurrentRipple: PhysicalValueType;
  EVSEEnergyToBeDelivered?: PhysicalValueType;
}

/** {urn:iso:15118:2:2013:MsgDataTypes}DC_EVSEStatusType */
export interface DC_EVSEStatusType {
  NotificationMaxDelay: number;
  EVSENotification: "None" | "StopCharging" | "ReNegotiation";
  EVSEIsolationStatus?: "Invalid" | "Valid" | "Warning" | "Fault" | "No_IMD";
  EVSEStatusCode: "EVSE_NotReady" | "EVSE_Ready" | "EVSE_Shutdown" | "EVSE_UtilityInterruptEvent" | "EVSE_IsolationMonitoringActive" | "EVSE_EmergencyShutdown" | "EVSE_Malfunction" | "Reserved_8" | "Reserved_9" | "Reserved_A" | "Reserved_B" | "Reserved_C";
}

/** {urn:iso:15118:2:2013:MsgDataTypes}DC_EVStatusType */
export interface DC_EVStatusType {
  EVReady: boolean;
  EVErrorCode: "NO_ERROR" | "FAILED_RESSTemperatureInhibit" | "FAILED_EVShiftPosition" | "FAILED_ChargerConnectorLockFault" | "FAILED_EVRESSMalfunction" | "FAILED_ChargingCurrentdifferential" | "FAILED_ChargingVoltageOutOfRange" | "Reserved_A" | "Reserved_B" | "Reserved_C" | "FAILED_ChargingSystemIncompatibility" | "NoData";
  EVRESSSOC: number;
}

/** {urn:iso:15118:2:2013:MsgDataTypes}DiffieHellmanPublickeyType */
export interface DiffieHellmanPublickeyType {
  Id: string;
  $value: Uint8Array;
}

/** {urn:iso:15118:2:2013:MsgDataTypes}EMAIDType */
export interface EMAIDType {
  Id: string;
  $value: string;
}

/** {urn:iso:15118:2:2013:MsgDataTypes}EVChargeParameterType */
export interface EVChargeParameterType {
  DepartureTime?: number;
}

/** {urn:iso:15118:2:2013:MsgDataTypes}EVPowerDeliveryParameterType */
export interface EVPowerDeliveryParameterType {
}

/** {urn:iso:15118:2:2013:MsgDataTypes}EVSEChargeParameterType */
export interface EVSEChargeParameterType {
}

/** {urn:iso:15118:2:2013:MsgDataTypes}EVSEStatusType */
export interface EVSEStatusType {
  NotificationMaxDelay: number;
  EVSENotification: "None" | "StopCharging" | "ReNegotiation";
}

/** {urn:iso:15118:2:2013:MsgDataTypes}EVStatusType */
export interface EVStatusType {
}

/** {urn:iso:15118:2:2013:MsgDataTypes}EntryType */
export interface EntryType {
  TimeInterval?: IntervalType;
  RelativeTimeInterval?: RelativeTimeIntervalType;
}

/** {urn:iso:15118:2:2013:MsgDataTypes}IntervalType */
export interface IntervalType {
}

/** {urn:iso:15118:2:2013:MsgDataTypes}ListOfRootCertificateIDsType */
export interface ListOfRootCertificateIDsType {
  RootCertificateID: X509IssuerSerialType[];
}

/** {urn:iso:15118:2:2013:MsgHeader}MessageHeaderType */
export interface MessageHeaderType {
  SessionID: Uint8Array;
  Notification?: NotificationType;
  Signature?: SignatureType;
}

/** {urn:iso:15118:2:2013:MsgDataTypes}MeterInfoType */
export interface MeterInfoType {
  MeterID: string;
  MeterReading?: bigint;
  SigMeterReading?: Uint8Array;
  MeterStatus?: number;
  TMeter?: bigint;
}

/** {urn:iso:15118:2:2013:MsgBody}MeteringReceiptReqType */
export interface MeteringReceiptReqType {
  Id?: string;
  SessionID: Uint8Array;
  SAScheduleTupleID?: number;
  MeterInfo: MeterInfoType;
}

/** {urn:iso:15118:2:2013:MsgBody}MeteringReceiptResType */
export interface MeteringReceiptResType {
  ResponseCode: "OK" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_CertificateExpiresSoon" | "FAILED" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_UnknownSession" | "FAILED_ServiceSelectionInvalid" | "FAILED_PaymentSelectionInvalid" | "FAILED_CertificateExpired" | "FAILED_SignatureError" | "FAILED_NoCertificateAvailable" | "FAILED_CertChainError" | "FAILED_ChallengeInvalid" | "FAILED_ContractCanceled" | "FAILED_WrongChargeParameter" | "FAILED_PowerDeliveryNotApplied" | "FAILED_TariffSelectionInvalid" | "FAILED_ChargingProfileInvalid" | "FAILED_MeteringSignatureNotValid" | "FAILED_NoChargeServiceSelected" | "FAILED_WrongEnergyTransferMode" | "FAILED_ContactorError" | "FAILED_CertificateNotAllowedAtThisEVSE" | "FAILED_CertificateRevoked";
  EVSEStatus?: EVSEStatusType;
  AC_EVSEStatus?: AC_EVSEStatusType;
  DC_EVSEStatus?: DC_EVSEStatusType;
}

/** {urn:iso:15118:2:2013:MsgDataTypes}NotificationType */
export interface NotificationType {
  FaultCode: "ParsingError" | "NoTLSRootCertificatAvailable" | "UnknownError";
  FaultMsg?: string;
}

/** {urn:iso:15118:2:2013:MsgDataTypes}PMaxScheduleEntryType */
export interface PMaxScheduleEntryType {
  TimeInterval?: IntervalType;
  RelativeTimeInterval?: RelativeTimeIntervalType;
  PMax: PhysicalValueType;
}

/** {urn:iso:15118:2:2013:MsgDataTypes}PMaxScheduleType */
export interface PMaxScheduleType {
  PMaxScheduleEntry: PMaxScheduleEntryType[];
}

/** {urn:iso:15118:2:2013:MsgDataTypes}ParameterSetType */
export interface ParameterSetType {
  ParameterSetID: number;
  Parameter: ParameterType[];
}

/** {urn:iso:15118:2:2013:MsgDataTypes}ParameterType */
export interface ParameterType {
  Name: string;
  boolValue?: boolean;
  byteValue?: number;
  shortValue?: number;
  intValue?: number;
  physicalValue?: PhysicalValueType;
  stringValue?: string;
}

/** {urn:iso:15118:2:2013:MsgBody}PaymentDetailsReqType */
export interface PaymentDetailsReqType {
  eMAID: string;
  ContractSignatureCertChain: CertificateChainType;
}

/** {urn:iso:15118:2:2013:MsgBody}PaymentDetailsResType */
export interface PaymentDetailsResType {
  ResponseCode: "OK" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_CertificateExpiresSoon" | "FAILED" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_UnknownSession" | "FAILED_ServiceSelectionInvalid" | "FAILED_PaymentSelectionInvalid" | "FAILED_CertificateExpired" | "FAILED_SignatureError" | "FAILED_NoCertificateAvailable" | "FAILED_CertChainError" | "FAILED_ChallengeInvalid" | "FAILED_ContractCanceled" | "FAILED_WrongChargeParameter" | "FAILED_PowerDeliveryNotApplied" | "FAILED_TariffSelectionInvalid" | "FAILED_ChargingProfileInvalid" | "FAILED_MeteringSignatureNotValid" | "FAILED_NoChargeServiceSelected" | "FAILED_WrongEnergyTransferMode" | "FAILED_ContactorError" | "FAILED_CertificateNotAllowedAtThisEVSE" | "FAILED_CertificateRevoked";
  GenChallenge: Uint8Array;
  EVSETimeStamp: bigint;
}

/** {urn:iso:15118:2:2013:MsgDataTypes}PaymentOptionListType */
export interface PaymentOptionListType {
  PaymentOption: ("Contract" | "ExternalPayment")[];
}

/** {urn:iso:15118:2:2013:MsgBody}PaymentServiceSelectionReqType */
export interface PaymentServiceSelectionReqType {
  SelectedPaymentOption: "Contract" | "ExternalPayment";
  SelectedServiceList: SelectedServiceListType;
}

/** {urn:iso:15118:2:2013:MsgBody}PaymentServiceSelectionResType */
export interface PaymentServiceSelectionResType {
  ResponseCode: "OK" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_CertificateExpiresSoon" | "FAILED" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_UnknownSession" | "FAILED_ServiceSelectionInvalid" | "FAILED_PaymentSelectionInvalid" | "FAILED_CertificateExpired" | "FAILED_SignatureError" | "FAILED_NoCertificateAvailable" | "FAILED_CertChainError" | "FAILED_ChallengeInvalid" | "FAILED_ContractCanceled" | "FAILED_WrongChargeParameter" | "FAILED_PowerDeliveryNotApplied" | "FAILED_TariffSelectionInvalid" | "FAILED_ChargingProfileInvalid" | "FAILED_MeteringSignatureNotValid" | "FAILED_NoChargeServiceSelected" | "FAILED_WrongEnergyTransferMode" | "FAILED_ContactorError" | "FAILED_CertificateNotAllowedAtThisEVSE" | "FAILED_CertificateRevoked";
}

/** {urn:iso:15118:2:2013:MsgDataTypes}PhysicalValueType */
export interface PhysicalValueType {
  Multiplier: number;
  Unit: "h" | "m" | "s" | "A" | "V" | "W" | "Wh";
  Value: number;
}

/** {urn:iso:15118:2:2013:MsgBody}PowerDeliveryReqType */
export interface PowerDeliveryReqType {
  ChargeProgress: "Start" | "Stop" | "Renegotiate";
  SAScheduleTupleID: number;
  ChargingProfile?: ChargingProfileType;
  EVPowerDeliveryParameter?: EVPowerDeliveryParameterType;
  DC_EVPowerDeliveryParameter?: DC_EVPowerDeliveryParameterType;
}

/** {urn:iso:15118:2:2013:MsgBody}PowerDeliveryResType */
export interface PowerDeliveryResType {
  ResponseCode: "OK" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_CertificateExpiresSoon" | "FAILED" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_UnknownSession" | "FAILED_ServiceSelectionInvalid" | "FAILED_PaymentSelectionInvalid" | "FAILED_CertificateExpired" | "FAILED_SignatureError" | "FAILED_NoCertificateAvailable" | "FAILED_CertChainError" | "FAILED_ChallengeInvalid" | "FAILED_ContractCanceled" | "FAILED_WrongChargeParameter" | "FAILED_PowerDeliveryNotApplied" | "FAILED_TariffSelectionInvalid" | "FAILED_ChargingProfileInvalid" | "FAILED_MeteringSignatureNotValid" | "FAILED_NoChargeServiceSelected" | "FAILED_WrongEnergyTransferMode" | "FAILED_ContactorError" | "FAILED_CertificateNotAllowedAtThisEVSE" | "FAILED_CertificateRevoked";
  EVSEStatus?: EVSEStatusType;
  AC_EVSEStatus?: AC_EVSEStatusType;
  DC_EVSEStatus?: DC_EVSEStatusType;
}

/** {urn:iso:15118:2:2013:MsgBody}PreChargeReqType */
export interface PreChargeReqType {
  DC_EVStatus: DC_EVStatusType;
  EVTargetVoltage: PhysicalValueType;
  EVTargetCurrent: PhysicalValueType;
}

/** {urn:iso:15118:2:2013:MsgBody}PreChargeResType */
export interface PreChargeResType {
  ResponseCode: "OK" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_CertificateExpiresSoon" | "FAILED" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_UnknownSession" | "FAILED_ServiceSelectionInvalid" | "FAILED_PaymentSelectionInvalid" | "FAILED_CertificateExpired" | "FAILED_SignatureError" | "FAILED_NoCertificateAvailable" | "FAILED_CertChainError" | "FAILED_ChallengeInvalid" | "FAILED_ContractCanceled" | "FAILED_WrongChargeParameter" | "FAILED_PowerDeliveryNotApplied" | "FAILED_TariffSelectionInvalid" | "FAILED_ChargingProfileInvalid" | "FAILED_MeteringSignatureNotValid" | "FAILED_NoChargeServiceSelected" | "FAILED_WrongEnergyTransferMode" | "FAILED_ContactorError" | "FAILED_CertificateNotAllowedAtThisEVSE" | "FAILED_CertificateRevoked";
  DC_EVSEStatus: DC_EVSEStatusType;
  EVSEPresentVoltage: PhysicalValueType;
}

/** {urn:iso:15118:2:2013:MsgDataTypes}ProfileEntryType */
export interface ProfileEntryType {
  ChargingProfileEntryStart: number;
  ChargingProfileEntryMaxPower: PhysicalValueType;
  ChargingProfileEntryMaxNumberOfPhasesInUse?: number;
}

/** {urn:iso:15118:2:2013:MsgDataTypes}RelativeTimeIntervalType */
export interface RelativeTimeIntervalType {
  start: number;
  duration?: number;
}

/** {urn:iso:15118:2:2013:MsgDataTypes}SAScheduleListType */
export interface SAScheduleListType {
  SAScheduleTuple: SAScheduleTupleType[];
}

/** {urn:iso:15118:2:2013:MsgDataTypes}SAScheduleTupleType */
export interface SAScheduleTupleType {
  SAScheduleTupleID: number;
  PMaxSchedule: PMaxScheduleType;
  SalesTariff?: SalesTariffType;
}

/** {urn:iso:15118:2:2013:MsgDataTypes}SASchedulesType */
export interface SASchedulesType {
}

/** {urn:iso:15118:2:2013:MsgDataTypes}SalesTariffEntryType */
export interface SalesTariffEntryType {
  TimeInterval?: IntervalType;
  RelativeTimeInterval?: RelativeTimeIntervalType;
  EPriceLevel?: number;
  ConsumptionCost?: ConsumptionCostType[];
}

/** {urn:iso:15118:2:2013:MsgDataTypes}SalesTariffType */
export interface SalesTariffType {
  Id?: string;
  SalesTariffID: number;
  SalesTariffDescription?: string;
  NumEPriceLevels?: number;
  SalesTariffEntry: SalesTariffEntryType[];
}

/** {urn:iso:15118:2:2013:MsgDataTypes}SelectedServiceListType */
export interface SelectedServiceListType {
  SelectedService: SelectedServiceType[];
}

/** {urn:iso:15118:2:2013:MsgDataTypes}SelectedServiceType */
export interface SelectedServiceType {
  ServiceID: number;
  ParameterSetID?: number;
}

/** {urn:iso:15118:2:2013:MsgBody}ServiceDetailReqType */
export interface ServiceDetailReqType {
  ServiceID: number;
}

/** {urn:iso:15118:2:2013:MsgBody}ServiceDetailResType */
export interface ServiceDetailResType {
  ResponseCode: "OK" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_CertificateExpiresSoon" | "FAILED" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_UnknownSession" | "FAILED_ServiceSelectionInvalid" | "FAILED_PaymentSelectionInvalid" | "FAILED_CertificateExpired" | "FAILED_SignatureError" | "FAILED_NoCertificateAvailable" | "FAILED_CertChainError" | "FAILED_ChallengeInvalid" | "FAILED_ContractCanceled" | "FAILED_WrongChargeParameter" | "FAILED_PowerDeliveryNotApplied" | "FAILED_TariffSelectionInvalid" | "FAILED_ChargingProfileInvalid" | "FAILED_MeteringSignatureNotValid" | "FAILED_NoChargeServiceSelected" | "FAILED_WrongEnergyTransferMode" | "FAILED_ContactorError" | "FAILED_CertificateNotAllowedAtThisEVSE" | "FAILED_CertificateRevoked";
  ServiceID: number;
  ServiceParameterList?: ServiceParameterListType;
}

/** {urn:iso:15118:2:2013:MsgBody}ServiceDiscoveryReqType */
export interface ServiceDiscoveryReqType {
  ServiceScope?: string;
  ServiceCategory?: "EVCharging" | "Internet" | "ContractCertificate" | "OtherCustom";
}

/** {urn:iso:15118:2:2013:MsgBody}ServiceDiscoveryResType */
export interface ServiceDiscoveryResType {
  ResponseCode: "OK" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_CertificateExpiresSoon" | "FAILED" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_UnknownSession" | "FAILED_ServiceSelectionInvalid" | "FAILED_PaymentSelectionInvalid" | "FAILED_CertificateExpired" | "FAILED_SignatureError" | "FAILED_NoCertificateAvailable" | "FAILED_CertChainError" | "FAILED_ChallengeInvalid" | "FAILED_ContractCanceled" | "FAILED_WrongChargeParameter" | "FAILED_PowerDeliveryNotApplied" | "FAILED_TariffSelectionInvalid" | "FAILED_ChargingProfileInvalid" | "FAILED_MeteringSignatureNotValid" | "FAILED_NoChargeServiceSelected" | "FAILED_WrongEnergyTransferMode" | "FAILED_ContactorError" | "FAILED_CertificateNotAllowedAtThisEVSE" | "FAILED_CertificateRevoked";
  PaymentOptionList: PaymentOptionListType;
  ChargeService: ChargeServiceType;
  ServiceList?: ServiceListType;
}

/** {urn:iso:15118:2:2013:MsgDataTypes}ServiceListType */
export interface ServiceListType {
  Service: ServiceType[];
}

/** {urn:iso:15118:2:2013:MsgDataTypes}ServiceParameterListType */
export interface ServiceParameterListType {
  ParameterSet: ParameterSetType[];
}

/** {urn:iso:15118:2:2013:MsgDataTypes}ServiceType */
export interface ServiceType {
  ServiceID: number;
  ServiceName?: string;
  ServiceCategory: "EVCharging" | "Internet" | "ContractCertificate" | "OtherCustom";
  ServiceScope?: string;
  FreeService: boolean;
}

/** {urn:iso:15118:2:2013:MsgBody}SessionSetupReqType */
export interface SessionSetupReqType {
  EVCCID: Uint8Array;
}

/** {urn:iso:15118:2:2013:MsgBody}SessionSetupResType */
export interface SessionSetupResType {
  ResponseCode: "OK" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_CertificateExpiresSoon" | "FAILED" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_UnknownSession" | "FAILED_ServiceSelectionInvalid" | "FAILED_PaymentSelectionInvalid" | "FAILED_CertificateExpired" | "FAILED_SignatureError" | "FAILED_NoCertificateAvailable" | "FAILED_CertChainError" | "FAILED_ChallengeInvalid" | "FAILED_ContractCanceled" | "FAILED_WrongChargeParameter" | "FAILED_PowerDeliveryNotApplied" | "FAILED_TariffSelectionInvalid" | "FAILED_ChargingProfileInvalid" | "FAILED_MeteringSignatureNotValid" | "FAILED_NoChargeServiceSelected" | "FAILED_WrongEnergyTransferMode" | "FAILED_ContactorError" | "FAILED_CertificateNotAllowedAtThisEVSE" | "FAILED_CertificateRevoked";
  EVSEID: string;
  EVSETimeStamp?: bigint;
}

/** {urn:iso:15118:2:2013:MsgBody}SessionStopReqType */
export interface SessionStopReqType {
  ChargingSession: "Terminate" | "Pause";
}

/** {urn:iso:15118:2:2013:MsgBody}SessionStopResType */
export interface SessionStopResType {
  ResponseCode: "OK" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_CertificateExpiresSoon" | "FAILED" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_UnknownSession" | "FAILED_ServiceSelectionInvalid" | "FAILED_PaymentSelectionInvalid" | "FAILED_CertificateExpired" | "FAILED_SignatureError" | "FAILED_NoCertificateAvailable" | "FAILED_CertChainError" | "FAILED_ChallengeInvalid" | "FAILED_ContractCanceled" | "FAILED_WrongChargeParameter" | "FAILED_PowerDeliveryNotApplied" | "FAILED_TariffSelectionInvalid" | "FAILED_ChargingProfileInvalid" | "FAILED_MeteringSignatureNotValid" | "FAILED_NoChargeServiceSelected" | "FAILED_WrongEnergyTransferMode" | "FAILED_ContactorError" | "FAILED_CertificateNotAllowedAtThisEVSE" | "FAILED_CertificateRevoked";
}

/** {urn:iso:15118:2:2013:MsgDataTypes}SubCertificatesType */
export interface SubCertificatesType {
  Certificate: Uint8Array[];
}

/** {urn:iso:15118:2:2013:MsgDataTypes}SupportedEnergyTransferModeType */
export interface SupportedEnergyTransferModeType {
  EnergyTransferMode: ("AC_single_phase_core" | "AC_three_phase_core" | "DC_core" | "DC_extended" | "DC_combo_core" | "DC_unique")[];
}

/** anonymous type (V2G_CI_MsgDef.xsd:11) */
export interface V2G_MessageType {
  Header: MessageHeaderType;
  Body: BodyType;
}

/** {urn:iso:15118:2:2013:MsgBody}WeldingDetectionReqType */
export interface WeldingDetectionReqType {
  DC_EVStatus: DC_EVStatusType;
}

/** {urn:iso:15118:2:2013:MsgBody}WeldingDetectionResType */
export interface WeldingDetectionResType {
  ResponseCode: "OK" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_CertificateExpiresSoon" | "FAILED" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_UnknownSession" | "FAILED_ServiceSelectionInvalid" | "FAILED_PaymentSelectionInvalid" | "FAILED_CertificateExpired" | "FAILED_SignatureError" | "FAILED_NoCertificateAvailable" | "FAILED_CertChainError" | "FAILED_ChallengeInvalid" | "FAILED_ContractCanceled" | "FAILED_WrongChargeParameter" | "FAILED_PowerDeliveryNotApplied" | "FAILED_TariffSelectionInvalid" | "FAILED_ChargingProfileInvalid" | "FAILED_MeteringSignatureNotValid" | "FAILED_NoChargeServiceSelected" | "FAILED_WrongEnergyTransferMode" | "FAILED_ContactorError" | "FAILED_CertificateNotAllowedAtThisEVSE" | "FAILED_CertificateRevoked";
  DC_EVSEStatus: DC_EVSEStatusType;
  EVSEPresentVoltage: PhysicalValueType;
}

/** The global elements of this schema set and the type of their content. */
export interface Iso2Elements {
  "AC_EVChargeParameter": AC_EVChargeParameterType;
  "AC_EVSEChargeParameter": AC_EVSEChargeParameterType;
  "AC_EVSEStatus": AC_EVSEStatusType;
  "AuthorizationReq": AuthorizationReqType;
  "AuthorizationRes": AuthorizationResType;
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
  "PaymentServiceSelectionReq": PaymentServiceSelectionReqType;
  "PaymentServiceSelectionRes": PaymentServiceSelectionResType;
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
  "ServiceDetailReq": ServiceDetailReqType;
  "ServiceDetailRes": ServiceDetailResType;
  "ServiceDiscoveryReq": ServiceDiscoveryReqType;
  "ServiceDiscoveryRes": ServiceDiscoveryResType;
  "SessionSetupReq": SessionSetupReqType;
  "SessionSetupRes": SessionSetupResType;
  "SessionStopReq": SessionStopReqType;
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
