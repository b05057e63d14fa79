// Public surface of the configuration component.
export {
  type AppConfig,
  CONFIG_FIELDS,
  type ConfigField,
  type ConfigKey,
  DEFAULT_DATA_DIR,
  DEFAULT_PORT,
  defaultPublicUrl,
  LOG_LEVELS,
  type LogLevel,
} from './fields.ts';
export {
  CONFIG_FILE_ENV,
  type ConfigOverrides,
  type LoadConfigOptions,
  loadConfig,
  maskSecret,
  redactConfig,
} from './load-config.ts';
