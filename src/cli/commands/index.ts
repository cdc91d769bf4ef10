import type { Command } from '../command.js';
import { checkCommand } from './check.js';
import { demoCommand } from './demo.js';
import { exportCommand } from './export.js';
import { importCommand } from './import.js';
import { reportCommand } from './report.js';
import { runCommand } from './run.js';
import { trendCommand } from './trend.js';
import { validateCommand } from './validate.js';

export const commands: Command[] = [
  validateCommand,
  runCommand,
  checkCommand,
  reportCommand,
  exportCommand,
  importCommand,
  trendCommand,
  demoCommand,
];
