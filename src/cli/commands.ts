// The ONE list of `pnc` commands. Every command module is imported here and nowhere else, so this file
// is the complete map of the CLI surface. Modules must not do work at import time.

import { auditCommands } from './audit-commands.ts';
import { clientsCommands } from './clients-commands.ts';
import { demoCommand } from './demo-command.ts';
import { eventsCommands } from './events-commands.ts';
import { exiCommands } from './exi-commands.ts';
import { pkiCaCommands } from './pki-ca-commands.ts';
import { pkiHierarchyCommands } from './pki-hierarchy-commands.ts';
import { pkiLintCommand } from './pki-lint-command.ts';
import { pkiVerifyCommand } from './pki-verify-command.ts';
import type { CliCommand } from './registry.ts';
import { roleCommands } from './role-commands.ts';
import { rootCommands } from './root-commands.ts';
import { serveCommand } from './serve-command.ts';
import { v2gCommands } from './v2g-commands.ts';
import { versionCommand } from './version-command.ts';

export const commands: readonly CliCommand[] = [
  versionCommand,
  serveCommand,
  ...exiCommands,
  pkiLintCommand,
  pkiVerifyCommand,
  ...pkiCaCommands,
  ...rootCommands,
  ...pkiHierarchyCommands,
  ...clientsCommands,
  ...eventsCommands,
  ...auditCommands,
  ...roleCommands,
  ...v2gCommands,
  demoCommand,
];
