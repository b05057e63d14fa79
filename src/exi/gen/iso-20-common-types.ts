// GENERATED FILE — do not edit. Regenerate with `npm run generate`.
// Generator: tools/exi-codegen v1; schema set 'iso-20-common' (ISO 15118-20 CommonMessages).
// Sources (read from the shared schema directory, not part of this repository):
//   iso15118-20/V2G_CI_CommonMessages.xsd sha256=5cd9390e1fbc7eb4ef289cd21cc973012b8ce2c07927216380a58bc16326348b
//   iso15118-20/V2G_CI_CommonTypes.xsd sha256=3a1e442fcf4dba9c9c2a3125ba133b853bad02931a989b4eec7f8bdd66d904fe
//   iso15118-20/xmldsig-core-schema.xsd sha256=35cf8197da812c85e40d57891b35c94187569ed474a2dac813ce5090dafcd35c
// Facet override (D-029): {urn:iso:std:iso:15118:-20:CommonMessages}dhPublicKeyType {"minLength":56,"maxLength":133}
// Facet override (D-029): {urn:iso:std:iso:15118:-20:CommonMessages}x448_EncryptedPrivateKeyType {"minLength":84,"maxLength":85}
/* biome-ignore-all format: generated */

// Typed message model: one interface per complex type. Attributes and child elements are
// properties named by their local name; repeated children are arrays; simple content is `$value`.
// Interfaces identical to those of another schema set are imported from it, not repeated.
import type { AnyType, CanonicalizationMethodType, DSAKeyValueType, DigestMethodType, KeyInfoType, KeyValueType, ManifestType, ObjectType, PGPDataType, RSAKeyValueType, ReferenceType, RetrievalMethodType, SPKIDataType, SignatureMethodType, SignaturePropertiesType, SignaturePropertyType, SignatureType, SignatureValueType, SignedInfoType, TransformType, TransformsType, X509DataType, X509IssuerSerialType } from './xmldsig-types.ts';
export type { AnyType, CanonicalizationMethodType, DSAKeyValueType, DigestMethodType, KeyInfoType, KeyValueType, ManifestType, ObjectType, PGPDataType, RSAKeyValueType, ReferenceType, RetrievalMethodType, SPKIDataType, SignatureMethodType, SignaturePropertiesType, SignaturePropertyType, SignatureType, SignatureValueType, SignedInfoType, TransformType, TransformsType, X509DataType, X509IssuerSerialType } from './xmldsig-types.ts';

/** {urn:iso:std:iso:15118:-20:CommonMessages}AbsolutePriceScheduleType */
export interface AbsolutePriceScheduleType {
  Id?: string;
  TimeAnchor: bigint;
  PriceScheduleID: number;
  PriceScheduleDescription?: string;
  Currency: string;
  Language: string;
  PriceAlgorithm: string;
  MinimumCost?: RationalNumberType;
  MaximumCost?: RationalNumberType;
  TaxRules?: TaxRuleListType;
  PriceRuleStacks: PriceRuleStackListType;
  OverstayRules?: OverstayRuleListType;
  AdditionalSelectedServices?: AdditionalServiceListType;
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}AdditionalServiceListType */
export interface AdditionalServiceListType {
  AdditionalService: AdditionalServiceType[];
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}AdditionalServiceType */
export interface AdditionalServiceType {
  ServiceName: string;
  ServiceFee: RationalNumberType;
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}AuthorizationReqType */
export interface AuthorizationReqType {
  Header: MessageHeaderType;
  SelectedAuthorizationService: "EIM" | "PnC";
  EIM_AReqAuthorizationMode?: EIM_AReqAuthorizationModeType;
  PnC_AReqAuthorizationMode?: PnC_AReqAuthorizationModeType;
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}AuthorizationResType */
export interface AuthorizationResType {
  Header: MessageHeaderType;
  ResponseCode: "OK" | "OK_CertificateExpiresSoon" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_PowerToleranceConfirmed" | "WARNING_AuthorizationSelectionInvalid" | "WARNING_CertificateExpired" | "WARNING_CertificateNotYetValid" | "WARNING_CertificateRevoked" | "WARNING_CertificateValidationError" | "WARNING_ChallengeInvalid" | "WARNING_EIMAuthorizationFailure" | "WARNING_eMSPUnknown" | "WARNING_EVPowerProfileViolation" | "WARNING_GeneralPnCAuthorizationError" | "WARNING_NoCertificateAvailable" | "WARNING_NoContractMatchingPCIDFound" | "WARNING_PowerToleranceNotConfirmed" | "WARNING_ScheduleRenegotiationFailed" | "WARNING_StandbyNotAllowed" | "WARNING_WPT" | "FAILED" | "FAILED_AssociationError" | "FAILED_ContactorError" | "FAILED_EVPowerProfileInvalid" | "FAILED_EVPowerProfileViolation" | "FAILED_MeteringSignatureNotValid" | "FAILED_NoEnergyTransferServiceSelected" | "FAILED_NoServiceRenegotiationSupported" | "FAILED_PauseNotAllowed" | "FAILED_PowerDeliveryNotApplied" | "FAILED_PowerToleranceNotConfirmed" | "FAILED_ScheduleRenegotiation" | "FAILED_ScheduleSelectionInvalid" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_ServiceSelectionInvalid" | "FAILED_SignatureError" | "FAILED_UnknownSession" | "FAILED_WrongChargeParameter";
  EVSEProcessing: "Finished" | "Ongoing" | "Ongoing_WaitingForCustomerInteraction";
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}AuthorizationSetupReqType */
export interface AuthorizationSetupReqType {
  Header: MessageHeaderType;
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}AuthorizationSetupResType */
export interface AuthorizationSetupResType {
  Header: MessageHeaderType;
  ResponseCode: "OK" | "OK_CertificateExpiresSoon" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_PowerToleranceConfirmed" | "WARNING_AuthorizationSelectionInvalid" | "WARNING_CertificateExpired" | "WARNING_CertificateNotYetValid" | "WARNING_CertificateRevoked" | "WARNING_CertificateValidationError" | "WARNING_ChallengeInvalid" | "WARNING_EIMAuthorizationFailure" | "WARNING_eMSPUnknown" | "WARNING_EVPowerProfileViolation" | "WARNING_GeneralPnCAuthorizationError" | "WARNING_NoCertificateAvailable" | "WARNING_NoContractMatchingPCIDFound" | "WARNING_PowerToleranceNotConfirmed" | "WARNING_ScheduleRenegotiationFailed" | "WARNING_StandbyNotAllowed" | "WARNING_WPT" | "FAILED" | "FAILED_AssociationError" | "FAILED_ContactorError" | "FAILED_EVPowerProfileInvalid" | "FAILED_EVPowerProfileViolation" | "FAILED_MeteringSignatureNotValid" | "FAILED_NoEnergyTransferServiceSelected" | "FAILED_NoServiceRenegotiationSupported" | "FAILED_PauseNotAllowed" | "FAILED_PowerDeliveryNotApplied" | "FAILED_PowerToleranceNotConfirmed" | "FAILED_ScheduleRenegotiation" | "FAILED_ScheduleSelectionInvalid" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_ServiceSelectionInvalid" | "FAILED_SignatureError" | "FAILED_UnknownSession" | "FAILED_WrongChargeParameter";
  AuthorizationServices: ("EIM" | "PnC")[];
  CertificateInstallationService: boolean;
  EIM_ASResAuthorizationMode?: EIM_ASResAuthorizationModeType;
  PnC_ASResAuthorizationMode?: PnC_ASResAuthorizationModeType;
}

/** {urn:iso:std:iso:15118:-20:CommonTypes}CLReqControlModeType */
export interface CLReqControlModeType {
}

/** {urn:iso:std:iso:15118:-20:CommonTypes}CLResControlModeType */
export interface CLResControlModeType {
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}CertificateChainType */
export interface CertificateChainType {
  Certificate: Uint8Array;
  SubCertificates?: SubCertificatesType;
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}CertificateInstallationReqType */
export interface CertificateInstallationReqType {
  Header: MessageHeaderType;
  OEMProvisioningCertificateChain: SignedCertificateChainType;
  ListOfRootCertificateIDs: ListOfRootCertificateIDsType;
  MaximumContractCertificateChains: number;
  PrioritizedEMAIDs?: EMAIDListType;
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}CertificateInstallationResType */
export interface CertificateInstallationResType {
  Header: MessageHeaderType;
  ResponseCode: "OK" | "OK_CertificateExpiresSoon" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_PowerToleranceConfirmed" | "WARNING_AuthorizationSelectionInvalid" | "WARNING_CertificateExpired" | "WARNING_CertificateNotYetValid" | "WARNING_CertificateRevoked" | "WARNING_CertificateValidationError" | "WARNING_ChallengeInvalid" | "WARNING_EIMAuthorizationFailure" | "WARNING_eMSPUnknown" | "WARNING_EVPowerProfileViolation" | "WARNING_GeneralPnCAuthorizationError" | "WARNING_NoCertificateAvailable" | "WARNING_NoContractMatchingPCIDFound" | "WARNING_PowerToleranceNotConfirmed" | "WARNING_ScheduleRenegotiationFailed" | "WARNING_StandbyNotAllowed" | "WARNING_WPT" | "FAILED" | "FAILED_AssociationError" | "FAILED_ContactorError" | "FAILED_EVPowerProfileInvalid" | "FAILED_EVPowerProfileViolation" | "FAILED_MeteringSignatureNotValid" | "FAILED_NoEnergyTransferServiceSelected" | "FAILED_NoServiceRenegotiationSupported" | "FAILED_PauseNotAllowed" | "FAILED_PowerDeliveryNotApplied" | "FAILED_PowerToleranceNotConfirmed" | "FAILED_ScheduleRenegotiation" | "FAILED_ScheduleSelectionInvalid" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_ServiceSelectionInvalid" | "FAILED_SignatureError" | "FAILED_UnknownSession" | "FAILED_WrongChargeParameter";
  EVSEProcessing: "Finished" | "Ongoing" | "Ongoing_WaitingForCustomerInteraction";
  CPSCertificateChain: CertificateChainType;
  SignedInstallationData: SignedInstallationDataType;
  RemainingContractCertificateChains: number;
}

/** {urn:iso:std:iso:15118:-20:CommonTypes}ChargeLoopReqType */
export interface ChargeLoopReqType {
  Header: MessageHeaderType;
  DisplayParameters?: DisplayParametersType;
  MeterInfoRequested: boolean;
}

/** {urn:iso:std:iso:15118:-20:CommonTypes}ChargeLoopResType */
export interface ChargeLoopResType {
  Header: MessageHeaderType;
  ResponseCode: "OK" | "OK_CertificateExpiresSoon" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_PowerToleranceConfirmed" | "WARNING_AuthorizationSelectionInvalid" | "WARNING_CertificateExpired" | "WARNING_CertificateNotYetValid" | "WARNING_CertificateRevoked" | "WARNING_CertificateValidationError" | "WARNING_ChallengeInvalid" | "WARNING_EIMAuthorizationFailure" | "WARNING_eMSPUnknown" | "WARNING_EVPowerProfileViolation" | "WARNING_GeneralPnCAuthorizationError" | "WARNING_NoCertificateAvailable" | "WARNING_NoContractMatchingPCIDFound" | "WARNING_PowerToleranceNotConfirmed" | "WARNING_ScheduleRenegotiationFailed" | "WARNING_StandbyNotAllowed" | "WARNING_WPT" | "FAILED" | "FAILED_AssociationError" | "FAILED_ContactorError" | "FAILED_EVPowerProfileInvalid" | "FAILED_EVPowerProfileViolation" | "FAILED_MeteringSignatureNotValid" | "FAILED_NoEnergyTransferServiceSelected" | "FAILED_NoServiceRenegotiationSupported" | "FAILED_PauseNotAllowed" | "FAILED_PowerDeliveryNotApplied" | "FAILED_PowerToleranceNotConfirmed" | "FAILED_ScheduleRenegotiation" | "FAILED_ScheduleSelectionInvalid" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_ServiceSelectionInvalid" | "FAILED_SignatureError" | "FAILED_UnknownSession" | "FAILED_WrongChargeParameter";
  EVSEStatus?: EVSEStatusType;
  MeterInfo?: MeterInfoType;
  Receipt?: ReceiptType;
}

/** {urn:iso:std:iso:15118:-20:CommonTypes}ChargeParameterDiscoveryReqType */
export interface ChargeParameterDiscoveryReqType {
  Header: MessageHeaderType;
}

/** {urn:iso:std:iso:15118:-20:CommonTypes}ChargeParameterDiscoveryResType */
export interface ChargeParameterDiscoveryResType {
  Header: MessageHeaderType;
  ResponseCode: "OK" | "OK_CertificateExpiresSoon" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_PowerToleranceConfirmed" | "WARNING_AuthorizationSelectionInvalid" | "WARNING_CertificateExpired" | "WARNING_CertificateNotYetValid" | "WARNING_CertificateRevoked" | "WARNING_CertificateValidationError" | "WARNING_ChallengeInvalid" | "WARNING_EIMAuthorizationFailure" | "WARNING_eMSPUnknown" | "WARNING_EVPowerProfileViolation" | "WARNING_GeneralPnCAuthorizationError" | "WARNING_NoCertificateAvailable" | "WARNING_NoContractMatchingPCIDFound" | "WARNING_PowerToleranceNotConfirmed" | "WARNING_ScheduleRenegotiationFailed" | "WARNING_StandbyNotAllowed" | "WARNING_WPT" | "FAILED" | "FAILED_AssociationError" | "FAILED_ContactorError" | "FAILED_EVPowerProfileInvalid" | "FAILED_EVPowerProfileViolation" | "FAILED_MeteringSignatureNotValid" | "FAILED_NoEnergyTransferServiceSelected" | "FAILED_NoServiceRenegotiationSupported" | "FAILED_PauseNotAllowed" | "FAILED_PowerDeliveryNotApplied" | "FAILED_PowerToleranceNotConfirmed" | "FAILED_ScheduleRenegotiation" | "FAILED_ScheduleSelectionInvalid" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_ServiceSelectionInvalid" | "FAILED_SignatureError" | "FAILED_UnknownSession" | "FAILED_WrongChargeParameter";
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}ChargingScheduleType */
export interface ChargingScheduleType {
  PowerSchedule: PowerScheduleType;
  AbsolutePriceSchedule?: AbsolutePriceScheduleType;
  PriceLevelSchedule?: PriceLevelScheduleType;
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}ContractCertificateChainType */
export interface ContractCertificateChainType {
  Certificate: Uint8Array;
  SubCertificates: SubCertificatesType;
}

/** {urn:iso:std:iso:15118:-20:CommonTypes}DetailedCostType */
export interface DetailedCostType {
  Amount: RationalNumberType;
  CostPerUnit: RationalNumberType;
}

/** {urn:iso:std:iso:15118:-20:CommonTypes}DetailedTaxType */
export interface DetailedTaxType {
  TaxRuleID: number;
  Amount: RationalNumberType;
}

/** {urn:iso:std:iso:15118:-20:CommonTypes}DisplayParametersType */
export interface DisplayParametersType {
  PresentSOC?: number;
  MinimumSOC?: number;
  TargetSOC?: number;
  MaximumSOC?: number;
  RemainingTimeToMinimumSOC?: number;
  RemainingTimeToTargetSOC?: number;
  RemainingTimeToMaximumSOC?: number;
  ChargingComplete?: boolean;
  BatteryEnergyCapacity?: RationalNumberType;
  InletHot?: boolean;
}

/** {urn:iso:std:iso:15118:-20:CommonTypes}Dynamic_CLReqControlModeType */
export interface Dynamic_CLReqControlModeType {
  DepartureTime?: number;
  EVTargetEnergyRequest: RationalNumberType;
  EVMaximumEnergyRequest: RationalNumberType;
  EVMinimumEnergyRequest: RationalNumberType;
}

/** {urn:iso:std:iso:15118:-20:CommonTypes}Dynamic_CLResControlModeType */
export interface Dynamic_CLResControlModeType {
  DepartureTime?: number;
  MinimumSOC?: number;
  TargetSOC?: number;
  AckMaxDelay?: number;
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}Dynamic_EVPPTControlModeType */
export interface Dynamic_EVPPTControlModeType {
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}Dynamic_SEReqControlModeType */
export interface Dynamic_SEReqControlModeType {
  DepartureTime: number;
  MinimumSOC?: number;
  TargetSOC?: number;
  EVTargetEnergyRequest: RationalNumberType;
  EVMaximumEnergyRequest: RationalNumberType;
  EVMinimumEnergyRequest: RationalNumberType;
  EVMaximumV2XEnergyRequest?: RationalNumberType;
  EVMinimumV2XEnergyRequest?: RationalNumberType;
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}Dynamic_SEResControlModeType */
export interface Dynamic_SEResControlModeType {
  DepartureTime?: number;
  MinimumSOC?: number;
  TargetSOC?: number;
  AbsolutePriceSchedule?: AbsolutePriceScheduleType;
  PriceLevelSchedule?: PriceLevelScheduleType;
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}Dynamic_SMDTControlModeType */
export interface Dynamic_SMDTControlModeType {
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}EIM_AReqAuthorizationModeType */
export interface EIM_AReqAuthorizationModeType {
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}EIM_ASResAuthorizationModeType */
export interface EIM_ASResAuthorizationModeType {
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}EMAIDListType */
export interface EMAIDListType {
  EMAID: string[];
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}EVAbsolutePriceScheduleType */
export interface EVAbsolutePriceScheduleType {
  TimeAnchor: bigint;
  Currency: string;
  PriceAlgorithm: string;
  EVPriceRuleStacks: EVPriceRuleStackListType;
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}EVEnergyOfferType */
export interface EVEnergyOfferType {
  EVPowerSchedule: EVPowerScheduleType;
  EVAbsolutePriceSchedule: EVAbsolutePriceScheduleType;
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}EVPowerProfileEntryListType */
export interface EVPowerProfileEntryListType {
  EVPowerProfileEntry: PowerScheduleEntryType[];
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}EVPowerProfileType */
export interface EVPowerProfileType {
  TimeAnchor: bigint;
  Dynamic_EVPPTControlMode?: Dynamic_EVPPTControlModeType;
  Scheduled_EVPPTControlMode?: Scheduled_EVPPTControlModeType;
  EVPowerProfileEntries: EVPowerProfileEntryListType;
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}EVPowerScheduleEntryListType */
export interface EVPowerScheduleEntryListType {
  EVPowerScheduleEntry: EVPowerScheduleEntryType[];
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}EVPowerScheduleEntryType */
export interface EVPowerScheduleEntryType {
  Duration: number;
  Power: RationalNumberType;
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}EVPowerScheduleType */
export interface EVPowerScheduleType {
  TimeAnchor: bigint;
  EVPowerScheduleEntries: EVPowerScheduleEntryListType;
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}EVPriceRuleStackListType */
export interface EVPriceRuleStackListType {
  EVPriceRuleStack: EVPriceRuleStackType[];
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}EVPriceRuleStackType */
export interface EVPriceRuleStackType {
  Duration: number;
  EVPriceRule: EVPriceRuleType[];
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}EVPriceRuleType */
export interface EVPriceRuleType {
  EnergyFee: RationalNumberType;
  PowerRangeStart: RationalNumberType;
}

/** {urn:iso:std:iso:15118:-20:CommonTypes}EVSEStatusType */
export interface EVSEStatusType {
  NotificationMaxDelay: number;
  EVSENotification: "Pause" | "ExitStandby" | "Terminate" | "ScheduleRenegotiation" | "ServiceRenegotiation" | "MeteringConfirmation";
}

/** {urn:iso:std:iso:15118:-20:CommonTypes}ListOfRootCertificateIDsType */
export interface ListOfRootCertificateIDsType {
  RootCertificateID: X509IssuerSerialType[];
}

/** {urn:iso:std:iso:15118:-20:CommonTypes}MessageHeaderType */
export interface MessageHeaderType {
  SessionID: Uint8Array;
  TimeStamp: bigint;
  Signature?: SignatureType;
}

/** {urn:iso:std:iso:15118:-20:CommonTypes}MeterInfoType */
export interface MeterInfoType {
  MeterID: string;
  ChargedEnergyReadingWh: bigint;
  BPT_DischargedEnergyReadingWh?: bigint;
  CapacitiveEnergyReadingVARh?: bigint;
  BPT_InductiveEnergyReadingVARh?: bigint;
  MeterSignature?: Uint8Array;
  MeterStatus?: number;
  MeterTimestamp?: bigint;
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}MeteringConfirmationReqType */
export interface MeteringConfirmationReqType {
  Header: MessageHeaderType;
  SignedMeteringData: SignedMeteringDataType;
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}MeteringConfirmationResType */
export interface MeteringConfirmationResType {
  Header: MessageHeaderType;
  ResponseCode: "OK" | "OK_CertificateExpiresSoon" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_PowerToleranceConfirmed" | "WARNING_AuthorizationSelectionInvalid" | "WARNING_CertificateExpired" | "WARNING_CertificateNotYetValid" | "WARNING_CertificateRevoked" | "WARNING_CertificateValidationError" | "WARNING_ChallengeInvalid" | "WARNING_EIMAuthorizationFailure" | "WARNING_eMSPUnknown" | "WARNING_EVPowerProfileViolation" | "WARNING_GeneralPnCAuthorizationError" | "WARNING_NoCertificateAvailable" | "WARNING_NoContractMatchingPCIDFound" | "WARNING_PowerToleranceNotConfirmed" | "WARNING_ScheduleRenegotiationFailed" | "WARNING_StandbyNotAllowed" | "WARNING_WPT" | "FAILED" | "FAILED_AssociationError" | "FAILED_ContactorError" | "FAILED_EVPowerProfileInvalid" | "FAILED_EVPowerProfileViolation" | "FAILED_MeteringSignatureNotValid" | "FAILED_NoEnergyTransferServiceSelected" | "FAILED_NoServiceRenegotiationSupported" | "FAILED_PauseNotAllowed" | "FAILED_PowerDeliveryNotApplied" | "FAILED_PowerToleranceNotConfirmed" | "FAILED_ScheduleRenegotiation" | "FAILED_ScheduleSelectionInvalid" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_ServiceSelectionInvalid" | "FAILED_SignatureError" | "FAILED_UnknownSession" | "FAILED_WrongChargeParameter";
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}OverstayRuleListType */
export interface OverstayRuleListType {
  OverstayTimeThreshold?: number;
  OverstayPowerThreshold?: RationalNumberType;
  OverstayRule: OverstayRuleType[];
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}OverstayRuleType */
export interface OverstayRuleType {
  OverstayRuleDescription?: string;
  StartTime: number;
  OverstayFee: RationalNumberType;
  OverstayFeePeriod: number;
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}ParameterSetType */
export interface ParameterSetType {
  ParameterSetID: number;
  Parameter: ParameterType[];
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}ParameterType */
export interface ParameterType {
  Name: string;
  boolValue?: boolean;
  byteValue?: number;
  shortValue?: number;
  intValue?: number;
  rationalNumber?: RationalNumberType;
  finiteString?: string;
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}PnC_AReqAuthorizationModeType */
export interface PnC_AReqAuthorizationModeType {
  Id: string;
  GenChallenge: Uint8Array;
  ContractCertificateChain: ContractCertificateChainType;
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}PnC_ASResAuthorizationModeType */
export interface PnC_ASResAuthorizationModeType {
  GenChallenge: Uint8Array;
  SupportedProviders?: SupportedProvidersListType;
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}PowerDeliveryReqType */
export interface PowerDeliveryReqType {
  Header: MessageHeaderType;
  EVProcessing: "Finished" | "Ongoing" | "Ongoing_WaitingForCustomerInteraction";
  ChargeProgress: "Start" | "Stop" | "Standby" | "ScheduleRenegotiation";
  EVPowerProfile?: EVPowerProfileType;
  BPT_ChannelSelection?: "Charge" | "Discharge";
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}PowerDeliveryResType */
export interface PowerDeliveryResType {
  Header: MessageHeaderType;
  ResponseCode: "OK" | "OK_CertificateExpiresSoon" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_PowerToleranceConfirmed" | "WARNING_AuthorizationSelectionInvalid" | "WARNING_CertificateExpired" | "WARNING_CertificateNotYetValid" | "WARNING_CertificateRevoked" | "WARNING_CertificateValidationError" | "WARNING_ChallengeInvalid" | "WARNING_EIMAuthorizationFailure" | "WARNING_eMSPUnknown" | "WARNING_EVPowerProfileViolation" | "WARNING_GeneralPnCAuthorizationError" | "WARNING_NoCertificateAvailable" | "WARNING_NoContractMatchingPCIDFound" | "WARNING_PowerToleranceNotConfirmed" | "WARNING_ScheduleRenegotiationFailed" | "WARNING_StandbyNotAllowed" | "WARNING_WPT" | "FAILED" | "FAILED_AssociationError" | "FAILED_ContactorError" | "FAILED_EVPowerProfileInvalid" | "FAILED_EVPowerProfileViolation" | "FAILED_MeteringSignatureNotValid" | "FAILED_NoEnergyTransferServiceSelected" | "FAILED_NoServiceRenegotiationSupported" | "FAILED_PauseNotAllowed" | "FAILED_PowerDeliveryNotApplied" | "FAILED_PowerToleranceNotConfirmed" | "FAILED_ScheduleRenegotiation" | "FAILED_ScheduleSelectionInvalid" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_ServiceSelectionInvalid" | "FAILED_SignatureError" | "FAILED_UnknownSession" | "FAILED_WrongChargeParameter";
  EVSEStatus?: EVSEStatusType;
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}PowerScheduleEntryListType */
export interface PowerScheduleEntryListType {
  PowerScheduleEntry: PowerScheduleEntryType[];
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}PowerScheduleEntryType */
export interface PowerScheduleEntryType {
  Duration: number;
  Power: RationalNumberType;
  Power_L2?: RationalNumberType;
  Power_L3?: RationalNumberType;
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}PowerScheduleType */
export interface PowerScheduleType {
  TimeAnchor: bigint;
  AvailableEnergy?: RationalNumberType;
  PowerTolerance?: RationalNumberType;
  PowerScheduleEntries: PowerScheduleEntryListType;
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}PriceLevelScheduleEntryListType */
export interface PriceLevelScheduleEntryListType {
  PriceLevelScheduleEntry: PriceLevelScheduleEntryType[];
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}PriceLevelScheduleEntryType */
export interface PriceLevelScheduleEntryType {
  Duration: number;
  PriceLevel: number;
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}PriceLevelScheduleType */
export interface PriceLevelScheduleType {
  Id?: string;
  TimeAnchor: bigint;
  PriceScheduleID: number;
  PriceScheduleDescription?: string;
  NumberOfPriceLevels: number;
  PriceLevelScheduleEntries: PriceLevelScheduleEntryListType;
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}PriceRuleStackListType */
export interface PriceRuleStackListType {
  PriceRuleStack: PriceRuleStackType[];
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}PriceRuleStackType */
export interface PriceRuleStackType {
  Duration: number;
  PriceRule: PriceRuleType[];
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}PriceRuleType */
export interface PriceRuleType {
  EnergyFee: RationalNumberType;
  ParkingFee?: RationalNumberType;
  ParkingFeePeriod?: number;
  CarbonDioxideEmission?: number;
  RenewableGenerationPercentage?: number;
  PowerRangeStart: RationalNumberType;
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}PriceScheduleType */
export interface PriceScheduleType {
  TimeAnchor: bigint;
  PriceScheduleID: number;
  PriceScheduleDescription?: string;
}

/** {urn:iso:std:iso:15118:-20:CommonTypes}RationalNumberType */
export interface RationalNumberType {
  Exponent: number;
  Value: number;
}

/** {urn:iso:std:iso:15118:-20:CommonTypes}ReceiptType */
export interface ReceiptType {
  TimeAnchor: bigint;
  EnergyCosts?: DetailedCostType;
  OccupancyCosts?: DetailedCostType;
  AdditionalServicesCosts?: DetailedCostType;
  OverstayCosts?: DetailedCostType;
  TaxCosts?: DetailedTaxType[];
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}ScheduleExchangeReqType */
export interface ScheduleExchangeReqType {
  Header: MessageHeaderType;
  MaximumSupportingPoints: number;
  Dynamic_SEReqControlMode?: Dynamic_SEReqControlModeType;
  Scheduled_SEReqControlMode?: Scheduled_SEReqControlModeType;
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}ScheduleExchangeResType */
export interface ScheduleExchangeResType {
  Header: MessageHeaderType;
  ResponseCode: "OK" | "OK_CertificateExpiresSoon" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_PowerToleranceConfirmed" | "WARNING_AuthorizationSelectionInvalid" | "WARNING_CertificateExpired" | "WARNING_CertificateNotYetValid" | "WARNING_CertificateRevoked" | "WARNING_CertificateValidationError" | "WARNING_ChallengeInvalid" | "WARNING_EIMAuthorizationFailure" | "WARNING_eMSPUnknown" | "WARNING_EVPowerProfileViolation" | "WARNING_GeneralPnCAuthorizationError" | "WARNING_NoCertificateAvailable" | "WARNING_NoContractMatchingPCIDFound" | "WARNING_PowerToleranceNotConfirmed" | "WARNING_ScheduleRenegotiationFailed" | "WARNING_StandbyNotAllowed" | "WARNING_WPT" | "FAILED" | "FAILED_AssociationError" | "FAILED_ContactorError" | "FAILED_EVPowerProfileInvalid" | "FAILED_EVPowerProfileViolation" | "FAILED_MeteringSignatureNotValid" | "FAILED_NoEnergyTransferServiceSelected" | "FAILED_NoServiceRenegotiationSupported" | "FAILED_PauseNotAllowed" | "FAILED_PowerDeliveryNotApplied" | "FAILED_PowerToleranceNotConfirmed" | "FAILED_ScheduleRenegotiation" | "FAILED_ScheduleSelectionInvalid" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_ServiceSelectionInvalid" | "FAILED_SignatureError" | "FAILED_UnknownSession" | "FAILED_WrongChargeParameter";
  EVSEProcessing: "Finished" | "Ongoing" | "Ongoing_WaitingForCustomerInteraction";
  GoToPause?: boolean;
  Dynamic_SEResControlMode?: Dynamic_SEResControlModeType;
  Scheduled_SEResControlMode?: Scheduled_SEResControlModeType;
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}ScheduleTupleType */
export interface ScheduleTupleType {
  ScheduleTupleID: number;
  ChargingSchedule: ChargingScheduleType;
  DischargingSchedule?: ChargingScheduleType;
}

/** {urn:iso:std:iso:15118:-20:CommonTypes}Scheduled_CLReqControlModeType */
export interface Scheduled_CLReqControlModeType {
  EVTargetEnergyRequest?: RationalNumberType;
  EVMaximumEnergyRequest?: RationalNumberType;
  EVMinimumEnergyRequest?: RationalNumberType;
}

/** {urn:iso:std:iso:15118:-20:CommonTypes}Scheduled_CLResControlModeType */
export interface Scheduled_CLResControlModeType {
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}Scheduled_EVPPTControlModeType */
export interface Scheduled_EVPPTControlModeType {
  SelectedScheduleTupleID: number;
  PowerToleranceAcceptance?: "PowerToleranceNotConfirmed" | "PowerToleranceConfirmed";
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}Scheduled_SEReqControlModeType */
export interface Scheduled_SEReqControlModeType {
  DepartureTime?: number;
  EVTargetEnergyRequest?: RationalNumberType;
  EVMaximumEnergyRequest?: RationalNumberType;
  EVMinimumEnergyRequest?: RationalNumberType;
  EVEnergyOffer?: EVEnergyOfferType;
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}Scheduled_SEResControlModeType */
export interface Scheduled_SEResControlModeType {
  ScheduleTuple: ScheduleTupleType[];
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}Scheduled_SMDTControlModeType */
export interface Scheduled_SMDTControlModeType {
  SelectedScheduleTupleID: number;
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}SelectedServiceListType */
export interface SelectedServiceListType {
  SelectedService: SelectedServiceType[];
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}SelectedServiceType */
export interface SelectedServiceType {
  ServiceID: number;
  ParameterSetID: number;
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}ServiceDetailReqType */
export interface ServiceDetailReqType {
  Header: MessageHeaderType;
  ServiceID: number;
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}ServiceDetailResType */
export interface ServiceDetailResType {
  Header: MessageHeaderType;
  ResponseCode: "OK" | "OK_CertificateExpiresSoon" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_PowerToleranceConfirmed" | "WARNING_AuthorizationSelectionInvalid" | "WARNING_CertificateExpired" | "WARNING_CertificateNotYetValid" | "WARNING_CertificateRevoked" | "WARNING_CertificateValidationError" | "WARNING_ChallengeInvalid" | "WARNING_EIMAuthorizationFailure" | "WARNING_eMSPUnknown" | "WARNING_EVPowerProfileViolation" | "WARNING_GeneralPnCAuthorizationError" | "WARNING_NoCertificateAvailable" | "WARNING_NoContractMatchingPCIDFound" | "WARNING_PowerToleranceNotConfirmed" | "WARNING_ScheduleRenegotiationFailed" | "WARNING_StandbyNotAllowed" | "WARNING_WPT" | "FAILED" | "FAILED_AssociationError" | "FAILED_ContactorError" | "FAILED_EVPowerProfileInvalid" | "FAILED_EVPowerProfileViolation" | "FAILED_MeteringSignatureNotValid" | "FAILED_NoEnergyTransferServiceSelected" | "FAILED_NoServiceRenegotiationSupported" | "FAILED_PauseNotAllowed" | "FAILED_PowerDeliveryNotApplied" | "FAILED_PowerToleranceNotConfirmed" | "FAILED_ScheduleRenegotiation" | "FAILED_ScheduleSelectionInvalid" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_ServiceSelectionInvalid" | "FAILED_SignatureError" | "FAILED_UnknownSession" | "FAILED_WrongChargeParameter";
  ServiceID: number;
  ServiceParameterList: ServiceParameterListType;
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}ServiceDiscoveryReqType */
export interface ServiceDiscoveryReqType {
  Header: MessageHeaderType;
  SupportedServiceIDs?: ServiceIDListType;
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}ServiceDiscoveryResType */
export interface ServiceDiscoveryResType {
  Header: MessageHeaderType;
  ResponseCode: "OK" | "OK_CertificateExpiresSoon" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_PowerToleranceConfirmed" | "WARNING_AuthorizationSelectionInvalid" | "WARNING_CertificateExpired" | "WARNING_CertificateNotYetValid" | "WARNING_CertificateRevoked" | "WARNING_CertificateValidationError" | "WARNING_ChallengeInvalid" | "WARNING_EIMAuthorizationFailure" | "WARNING_eMSPUnknown" | "WARNING_EVPowerProfileViolation" | "WARNING_GeneralPnCAuthorizationError" | "WARNING_NoCertificateAvailable" | "WARNING_NoContractMatchingPCIDFound" | "WARNING_PowerToleranceNotConfirmed" | "WARNING_ScheduleRenegotiationFailed" | "WARNING_StandbyNotAllowed" | "WARNING_WPT" | "FAILED" | "FAILED_AssociationError" | "FAILED_ContactorError" | "FAILED_EVPowerProfileInvalid" | "FAILED_EVPowerProfileViolation" | "FAILED_MeteringSignatureNotValid" | "FAILED_NoEnergyTransferServiceSelected" | "FAILED_NoServiceRenegotiationSupported" | "FAILED_PauseNotAllowed" | "FAILED_PowerDeliveryNotApplied" | "FAILED_PowerToleranceNotConfirmed" | "FAILED_ScheduleRenegotiation" | "FAILED_ScheduleSelectionInvalid" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_ServiceSelectionInvalid" | "FAILED_SignatureError" | "FAILED_UnknownSession" | "FAILED_WrongChargeParameter";
  ServiceRenegotiationSupported: boolean;
  EnergyTransferServiceList: ServiceListType;
  VASList?: ServiceListType;
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}ServiceIDListType */
export interface ServiceIDListType {
  ServiceID: number[];
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}ServiceListType */
export interface ServiceListType {
  Service: ServiceType[];
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}ServiceParameterListType */
export interface ServiceParameterListType {
  ParameterSet: ParameterSetType[];
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}ServiceSelectionReqType */
export interface ServiceSelectionReqType {
  Header: MessageHeaderType;
  SelectedEnergyTransferService: SelectedServiceType;
  SelectedVASList?: SelectedServiceListType;
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}ServiceSelectionResType */
export interface ServiceSelectionResType {
  Header: MessageHeaderType;
  ResponseCode: "OK" | "OK_CertificateExpiresSoon" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_PowerToleranceConfirmed" | "WARNING_AuthorizationSelectionInvalid" | "WARNING_CertificateExpired" | "WARNING_CertificateNotYetValid" | "WARNING_CertificateRevoked" | "WARNING_CertificateValidationError" | "WARNING_ChallengeInvalid" | "WARNING_EIMAuthorizationFailure" | "WARNING_eMSPUnknown" | "WARNING_EVPowerProfileViolation" | "WARNING_GeneralPnCAuthorizationError" | "WARNING_NoCertificateAvailable" | "WARNING_NoContractMatchingPCIDFound" | "WARNING_PowerToleranceNotConfirmed" | "WARNING_ScheduleRenegotiationFailed" | "WARNING_StandbyNotAllowed" | "WARNING_WPT" | "FAILED" | "FAILED_AssociationError" | "FAILED_ContactorError" | "FAILED_EVPowerProfileInvalid" | "FAILED_EVPowerProfileViolation" | "FAILED_MeteringSignatureNotValid" | "FAILED_NoEnergyTransferServiceSelected" | "FAILED_NoServiceRenegotiationSupported" | "FAILED_PauseNotAllowed" | "FAILED_PowerDeliveryNotApplied" | "FAILED_PowerToleranceNotConfirmed" | "FAILED_ScheduleRenegotiation" | "FAILED_ScheduleSelectionInvalid" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_ServiceSelectionInvalid" | "FAILED_SignatureError" | "FAILED_UnknownSession" | "FAILED_WrongChargeParameter";
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}ServiceType */
export interface ServiceType {
  ServiceID: number;
  FreeService: boolean;
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}SessionSetupReqType */
export interface SessionSetupReqType {
  Header: MessageHeaderType;
  EVCCID: string;
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}SessionSetupResType */
export interface SessionSetupResType {
  Header: MessageHeaderType;
  ResponseCode: "OK" | "OK_CertificateExpiresSoon" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_PowerToleranceConfirmed" | "WARNING_AuthorizationSelectionInvalid" | "WARNING_CertificateExpired" | "WARNING_CertificateNotYetValid" | "WARNING_CertificateRevoked" | "WARNING_CertificateValidationError" | "WARNING_ChallengeInvalid" | "WARNING_EIMAuthorizationFailure" | "WARNING_eMSPUnknown" | "WARNING_EVPowerProfileViolation" | "WARNING_GeneralPnCAuthorizationError" | "WARNING_NoCertificateAvailable" | "WARNING_NoContractMatchingPCIDFound" | "WARNING_PowerToleranceNotConfirmed" | "WARNING_ScheduleRenegotiationFailed" | "WARNING_StandbyNotAllowed" | "WARNING_WPT" | "FAILED" | "FAILED_AssociationError" | "FAILED_ContactorError" | "FAILED_EVPowerProfileInvalid" | "FAILED_EVPowerProfileViolation" | "FAILED_MeteringSignatureNotValid" | "FAILED_NoEnergyTransferServiceSelected" | "FAILED_NoServiceRenegotiationSupported" | "FAILED_PauseNotAllowed" | "FAILED_PowerDeliveryNotApplied" | "FAILED_PowerToleranceNotConfirmed" | "FAILED_ScheduleRenegotiation" | "FAILED_ScheduleSelectionInvalid" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_ServiceSelectionInvalid" | "FAILED_SignatureError" | "FAILED_UnknownSession" | "FAILED_WrongChargeParameter";
  EVSEID: string;
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}SessionStopReqType */
export interface SessionStopReqType {
  Header: MessageHeaderType;
  ChargingSession: "Pause" | "Terminate" | "ServiceRenegotiation";
  EVTerminationCode?: string;
  EVTerminationExplanation?: string;
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}SessionStopResType */
export interface SessionStopResType {
  Header: MessageHeaderType;
  ResponseCode: "OK" | "OK_CertificateExpiresSoon" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_PowerToleranceConfirmed" | "WARNING_AuthorizationSelectionInvalid" | "WARNING_CertificateExpired" | "WARNING_CertificateNotYetValid" | "WARNING_CertificateRevoked" | "WARNING_CertificateValidationError" | "WARNING_ChallengeInvalid" | "WARNING_EIMAuthorizationFailure" | "WARNING_eMSPUnknown" | "WARNING_EVPowerProfileViolation" | "WARNING_GeneralPnCAuthorizationError" | "WARNING_NoCertificateAvailable" | "WARNING_NoContractMatchingPCIDFound" | "WARNING_PowerToleranceNotConfirmed" | "WARNING_ScheduleRenegotiationFailed" | "WARNING_StandbyNotAllowed" | "WARNING_WPT" | "FAILED" | "FAILED_AssociationError" | "FAILED_ContactorError" | "FAILED_EVPowerProfileInvalid" | "FAILED_EVPowerProfileViolation" | "FAILED_MeteringSignatureNotValid" | "FAILED_NoEnergyTransferServiceSelected" | "FAILED_NoServiceRenegotiationSupported" | "FAILED_PauseNotAllowed" | "FAILED_PowerDeliveryNotApplied" | "FAILED_PowerToleranceNotConfirmed" | "FAILED_ScheduleRenegotiation" | "FAILED_ScheduleSelectionInvalid" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_ServiceSelectionInvalid" | "FAILED_SignatureError" | "FAILED_UnknownSession" | "FAILED_WrongChargeParameter";
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}SignedCertificateChainType */
export interface SignedCertificateChainType {
  Id: string;
  Certificate: Uint8Array;
  SubCertificates?: SubCertificatesType;
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}SignedInstallationDataType */
export interface SignedInstallationDataType {
  Id: string;
  ContractCertificateChain: ContractCertificateChainType;
  ECDHCurve: "SECP521" | "X448";
  DHPublicKey: Uint8Array;
  SECP521_EncryptedPrivateKey?: Uint8Array;
  X448_EncryptedPrivateKey?: Uint8Array;
  TPM_EncryptedPrivateKey?: Uint8Array;
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}SignedMeteringDataType */
export interface SignedMeteringDataType {
  Id: string;
  SessionID: Uint8Array;
  MeterInfo: MeterInfoType;
  Receipt?: ReceiptType;
  Dynamic_SMDTControlMode?: Dynamic_SMDTControlModeType;
  Scheduled_SMDTControlMode?: Scheduled_SMDTControlModeType;
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}SubCertificatesType */
export interface SubCertificatesType {
  Certificate: Uint8Array[];
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}SupportedProvidersListType */
export interface SupportedProvidersListType {
  ProviderID: string[];
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}TargetPositionType */
export interface TargetPositionType {
  TargetOffsetX: number;
  TargetOffsetY: number;
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}TaxRuleListType */
export interface TaxRuleListType {
  TaxRule: TaxRuleType[];
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}TaxRuleType */
export interface TaxRuleType {
  TaxRuleID: number;
  TaxRuleName?: string;
  TaxRate: RationalNumberType;
  TaxIncludedInPrice?: boolean;
  AppliesToEnergyFee: boolean;
  AppliesToParkingFee: boolean;
  AppliesToOverstayFee: boolean;
  AppliesMinimumMaximumCost: boolean;
}

/** {urn:iso:std:iso:15118:-20:CommonTypes}V2GMessageType */
export interface V2GMessageType {
  Header: MessageHeaderType;
}

/** {urn:iso:std:iso:15118:-20:CommonTypes}V2GRequestType */
export interface V2GRequestType {
  Header: MessageHeaderType;
}

/** {urn:iso:std:iso:15118:-20:CommonTypes}V2GResponseType */
export interface V2GResponseType {
  Header: MessageHeaderType;
  ResponseCode: "OK" | "OK_CertificateExpiresSoon" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_PowerToleranceConfirmed" | "WARNING_AuthorizationSelectionInvalid" | "WARNING_CertificateExpired" | "WARNING_CertificateNotYetValid" | "WARNING_CertificateRevoked" | "WARNING_CertificateValidationError" | "WARNING_ChallengeInvalid" | "WARNING_EIMAuthorizationFailure" | "WARNING_eMSPUnknown" | "WARNING_EVPowerProfileViolation" | "WARNING_GeneralPnCAuthorizationError" | "WARNING_NoCertificateAvailable" | "WARNING_NoContractMatchingPCIDFound" | "WARNING_PowerToleranceNotConfirmed" | "WARNING_ScheduleRenegotiationFailed" | "WARNING_StandbyNotAllowed" | "WARNING_WPT" | "FAILED" | "FAILED_AssociationError" | "FAILED_ContactorError" | "FAILED_EVPowerProfileInvalid" | "FAILED_EVPowerProfileViolation" | "FAILED_MeteringSignatureNotValid" | "FAILED_NoEnergyTransferServiceSelected" | "FAILED_NoServiceRenegotiationSupported" | "FAILED_PauseNotAllowed" | "FAILED_PowerDeliveryNotApplied" | "FAILED_PowerToleranceNotConfirmed" | "FAILED_ScheduleRenegotiation" | "FAILED_ScheduleSelectionInvalid" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_ServiceSelectionInvalid" | "FAILED_SignatureError" | "FAILED_UnknownSession" | "FAILED_WrongChargeParameter";
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}VehicleCheckInReqType */
export interface VehicleCheckInReqType {
  Header: MessageHeaderType;
  EVCheckInStatus: "CheckIn" | "Processing" | "Completed";
  ParkingMethod: "AutoParking" | "MVGuideManual" | "Manual";
  VehicleFrame?: number;
  DeviceOffset?: number;
  VehicleTravel?: number;
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}VehicleCheckInResType */
export interface VehicleCheckInResType {
  Header: MessageHeaderType;
  ResponseCode: "OK" | "OK_CertificateExpiresSoon" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_PowerToleranceConfirmed" | "WARNING_AuthorizationSelectionInvalid" | "WARNING_CertificateExpired" | "WARNING_CertificateNotYetValid" | "WARNING_CertificateRevoked" | "WARNING_CertificateValidationError" | "WARNING_ChallengeInvalid" | "WARNING_EIMAuthorizationFailure" | "WARNING_eMSPUnknown" | "WARNING_EVPowerProfileViolation" | "WARNING_GeneralPnCAuthorizationError" | "WARNING_NoCertificateAvailable" | "WARNING_NoContractMatchingPCIDFound" | "WARNING_PowerToleranceNotConfirmed" | "WARNING_ScheduleRenegotiationFailed" | "WARNING_StandbyNotAllowed" | "WARNING_WPT" | "FAILED" | "FAILED_AssociationError" | "FAILED_ContactorError" | "FAILED_EVPowerProfileInvalid" | "FAILED_EVPowerProfileViolation" | "FAILED_MeteringSignatureNotValid" | "FAILED_NoEnergyTransferServiceSelected" | "FAILED_NoServiceRenegotiationSupported" | "FAILED_PauseNotAllowed" | "FAILED_PowerDeliveryNotApplied" | "FAILED_PowerToleranceNotConfirmed" | "FAILED_ScheduleRenegotiation" | "FAILED_ScheduleSelectionInvalid" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_ServiceSelectionInvalid" | "FAILED_SignatureError" | "FAILED_UnknownSession" | "FAILED_WrongChargeParameter";
  ParkingSpace?: number;
  DeviceLocation?: number;
  TargetDistance?: number;
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}VehicleCheckOutReqType */
export interface VehicleCheckOutReqType {
  Header: MessageHeaderType;
  EVCheckOutStatus: "CheckOut" | "Processing" | "Completed";
  CheckOutTime: bigint;
}

/** {urn:iso:std:iso:15118:-20:CommonMessages}VehicleCheckOutResType */
export interface VehicleCheckOutResType {
  Header: MessageHeaderType;
  ResponseCode: "OK" | "OK_CertificateExpiresSoon" | "OK_NewSessionEstablished" | "OK_OldSessionJoined" | "OK_PowerToleranceConfirmed" | "WARNING_AuthorizationSelectionInvalid" | "WARNING_CertificateExpired" | "WARNING_CertificateNotYetValid" | "WARNING_CertificateRevoked" | "WARNING_CertificateValidationError" | "WARNING_ChallengeInvalid" | "WARNING_EIMAuthorizationFailure" | "WARNING_eMSPUnknown" | "WARNING_EVPowerProfileViolation" | "WARNING_GeneralPnCAuthorizationError" | "WARNING_NoCertificateAvailable" | "WARNING_NoContractMatchingPCIDFound" | "WARNING_PowerToleranceNotConfirmed" | "WARNING_ScheduleRenegotiationFailed" | "WARNING_StandbyNotAllowed" | "WARNING_WPT" | "FAILED" | "FAILED_AssociationError" | "FAILED_ContactorError" | "FAILED_EVPowerProfileInvalid" | "FAILED_EVPowerProfileViolation" | "FAILED_MeteringSignatureNotValid" | "FAILED_NoEnergyTransferServiceSelected" | "FAILED_NoServiceRenegotiationSupported" | "FAILED_PauseNotAllowed" | "FAILED_PowerDeliveryNotApplied" | "FAILED_PowerToleranceNotConfirmed" | "FAILED_ScheduleRenegotiation" | "FAILED_ScheduleSelectionInvalid" | "FAILED_SequenceError" | "FAILED_ServiceIDInvalid" | "FAILED_ServiceSelectionInvalid" | "FAILED_SignatureError" | "FAILED_UnknownSession" | "FAILED_WrongChargeParameter";
  EVSECheckOutStatus: "Scheduled" | "Completed";
}

/** The global elements of this schema set and the type of their content. */
export interface Iso20CommonElements {
  "AuthorizationReq": AuthorizationReqType;
  "AuthorizationRes": AuthorizationResType;
  "AuthorizationSetupReq": AuthorizationSetupReqType;
  "AuthorizationSetupRes": AuthorizationSetupResType;
  "CLReqControlMode": CLReqControlModeType;
  "CLResControlMode": CLResControlModeType;
  "CanonicalizationMethod": CanonicalizationMethodType;
  "CertificateInstallationReq": CertificateInstallationReqType;
  "CertificateInstallationRes": CertificateInstallationResType;
  "DSAKeyValue": DSAKeyValueType;
  "DigestMethod": DigestMethodType;
  "DigestValue": Uint8Array;
  "KeyInfo": KeyInfoType;
  "KeyName": string;
  "KeyValue": KeyValueType;
  "Manifest": ManifestType;
  "MeteringConfirmationReq": MeteringConfirmationReqType;
  "MeteringConfirmationRes": MeteringConfirmationResType;
  "MgmtData": string;
  "Object": ObjectType;
  "PGPData": PGPDataType;
  "PowerDeliveryReq": PowerDeliveryReqType;
  "PowerDeliveryRes": PowerDeliveryResType;
  "RSAKeyValue": RSAKeyValueType;
  "Reference": ReferenceType;
  "RetrievalMethod": RetrievalMethodType;
  "SPKIData": SPKIDataType;
  "ScheduleExchangeReq": ScheduleExchangeReqType;
  "ScheduleExchangeRes": ScheduleExchangeResType;
  "ServiceDetailReq": ServiceDetailReqType;
  "ServiceDetailRes": ServiceDetailResType;
  "ServiceDiscoveryReq": ServiceDiscoveryReqType;
  "ServiceDiscoveryRes": ServiceDiscoveryResType;
  "ServiceSelectionReq": ServiceSelectionReqType;
  "ServiceSelectionRes": ServiceSelectionResType;
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
  "SignedInstallationData": SignedInstallationDataType;
  "SignedMeteringData": SignedMeteringDataType;
  "Transform": TransformType;
  "Transforms": TransformsType;
  "VehicleCheckInReq": VehicleCheckInReqType;
  "VehicleCheckInRes": VehicleCheckInResType;
  "VehicleCheckOutReq": VehicleCheckOutReqType;
  "VehicleCheckOutRes": VehicleCheckOutResType;
  "X509Data": X509DataType;
}
