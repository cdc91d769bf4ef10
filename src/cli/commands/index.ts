import type { Command } from '../command.js';
import { checkCommand } from './check.js';
import { demoCommand } from './demo.js';
import { exportCommand } from './export.js';
import { importCommand } from './import.js';
import { initCommand } from './init.js';
import { reportCommand } from './report.js';
import { runCommand } from './run.js';
import { trendCommand } from './trend.js';
import { validateCommand } from './validate.js';

export const commands: Command[] = [
  initCommand,
  validateCommand,
  runCommand,
  checkCommand,
  reportCommand,
  exportCommand,
  importCommand,
  trendCommand,
  demoCommand,
];
