import type { Command } from '../command.js';
import { runCommand } from './run.js';
import { validateCommand } from './validate.js';

export const commands: Command[] = [validateCommand, runCommand];
