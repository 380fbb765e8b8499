import type { KodeCommand } from '../command.js';
import { auditCommand } from './audit.js';
import { completionCommand } from './completion.js';
import { configCommand } from './config.js';
import { generateCommand, loopCommand, runCommand } from './engine-command.js';
import { explainCommand } from './explain.js';
import { initCommand } from './init.js';
import { planCommand } from './plan.js';
import { modelsCommand } from './models-command.js';
import { providersCommand } from './providers-command.js';
import { recoverCommand } from './recover-command.js';
import { statsCommand } from './stats.js';
import { verifyCommand } from './verify-command.js';
import { versionCommand } from './version.js';

export const COMMANDS: readonly KodeCommand[] = [
  initCommand,
  statsCommand,
  explainCommand,
  auditCommand,
  recoverCommand,
  modelsCommand,
  providersCommand,
  configCommand,
  completionCommand,
  verifyCommand,
  planCommand,
  generateCommand,
  runCommand,
  loopCommand,
  versionCommand,
];
