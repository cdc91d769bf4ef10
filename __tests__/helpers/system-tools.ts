/**
 * Tests that need a system tool only some of their cases use (the rest of the file runs without
 * it). Whole files declare theirs in a `// requires:` line read by jest.config.js; this is the same
 * check for one case: absent, the case is skipped and says which package provides the tool.
 */
import { it } from '@jest/globals';
import { existsSync } from 'node:fs';

const TOOLS = {
  'nginx-njs': {
    present: () => existsSync('/usr/lib/nginx/modules/ngx_http_js_module.so'),
    install: 'libnginx-mod-http-js',
  },
} as const;

export type CaseTool = keyof typeof TOOLS;

/** `it`, or `it.skip` with the reason printed when a tool is missing. */
export function itWith(tools: readonly CaseTool[], what: string): typeof it | typeof it.skip {
  const missing = tools.filter((tool) => !TOOLS[tool].present());
  if (missing.length === 0) return it;
  console.warn(
    `skipped "${what}": needs ${missing.map((t) => `${t} (apt-get install ${TOOLS[t].install})`).join(', ')}`,
  );
  return it.skip;
}
