/** HdrHistogram interval logs (jHiccup, wrk2, meshgate export --hlog): detection and precision. */
import type { ImportFormat } from '../types.js';
import { importHdrLogTrials } from './trials.js';

/** A header comment, a column legend, or a first interval line (optionally tagged). */
const HLOG_START = /^(#\[|"?StartTimestamp"?|(Tag=[^,]*,)?[\d.]+,[\d.]+,[\d.]+,HIST)/m;

const HLOG_PRECISION =
  'full: HdrHistogram intervals (3 significant digits); latencies only, the log carries no status codes ' +
  'or error counts (reported as 0)';

export const hdrLogFormat: ImportFormat = {
  name: 'hdrhistogram-log',
  content: 'text',
  noun: 'an HdrHistogram interval log',
  detect: ({ text }) => HLOG_START.test(text.trimStart()),
  read: ({ text, file, hlogUnit }) => ({
    precision: HLOG_PRECISION,
    groups: [...importHdrLogTrials(text, file, hlogUnit)].map(([tag, trials]) => ({ tag, trials })),
  }),
};
