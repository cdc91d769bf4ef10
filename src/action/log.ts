/** The pipeline's Logger on top of @actions/core: collapsible groups per phase, annotations for warnings. */
import * as core from '@actions/core';
import type { Logger } from '../util/log.js';

export function coreLogger(): Logger {
  let depth = 0;
  return {
    info: (message) => core.info(message),
    warn: (message) => core.warning(message),
    debug: (message) => core.debug(message),
    async group(name, fn) {
      // Runner log groups do not nest: inner phases become plain headed lines.
      if (depth > 0) {
        core.info(`── ${name}`);
        return fn();
      }
      depth++;
      try {
        return await core.group(name, fn);
      } finally {
        depth--;
      }
    },
  };
}
