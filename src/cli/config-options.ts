// Options shared by every `pnc` command that uses the data directory or the configuration
// (issue 3: every command takes `--data-dir DIR`, environment PNC_DATA_DIR, default ./pnc-data).
// Spread them into a command's options and load the configuration with loadCommandConfig:
//
//   options: { ...CONFIG_OPTIONS, json: { type: 'boolean' } },
//   optionHelp: { ...CONFIG_OPTION_HELP },
//   async run(ctx) { const config = loadCommandConfig(ctx); ... }
//
// The values are validated exactly like `pnc serve`'s (docs/configuration.md).

import type { AppConfig } from '../config/fields.ts';
import { type ConfigOverrides, loadConfig } from '../config/load-config.ts';

export const CONFIG_OPTIONS = {
  'data-dir': { type: 'string' },
  config: { type: 'string' },
} as const;

export const CONFIG_OPTION_HELP = {
  'data-dir': 'Data directory (environment PNC_DATA_DIR, default ./pnc-data)',
  config: 'JSON configuration file (environment PNC_CONFIG); see docs/configuration.md',
} as const;

export interface ConfigOptionValues {
  readonly 'data-dir'?: string | undefined;
  readonly config?: string | undefined;
}

/**
 * The validated configuration for a command: config file < environment < these flags < overrides.
 * Throws AppError `config.invalid` / `config.file` (exit code 1).
 */
export function loadCommandConfig(
  ctx: { readonly values: ConfigOptionValues; readonly env: Readonly<Record<string, string | undefined>> },
  overrides: ConfigOverrides = {},
): AppConfig {
  return loadConfig({
    env: ctx.env,
    file: ctx.values.config,
    overrides: { dataDir: ctx.values['data-dir'], ...overrides },
  });
}

/** Only the data directory (absolute), for commands that need nothing else. */
export function resolveDataDir(ctx: {
  readonly values: ConfigOptionValues;
  readonly env: Readonly<Record<string, string | undefined>>;
}): string {
  return loadCommandConfig(ctx).dataDir;
}
