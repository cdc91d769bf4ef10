/**
 * What a push run on the default branch does with the history (the action's seam calls this;
 * tests call it against a bare repository): build the record, append it to the data branch, and
 * from the records read back render the trend for the job summary and the dashboard page.
 * A failure here is a warning and a note, never a failed gate.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage } from '../errors.js';
import { inlineText } from '../report/safe-text.js';
import type { Results } from '../results/schema.js';
import type { Verdict } from '../verdict/schema.js';
import type { Logger } from '../util/log.js';
import { appendRecord, type AppendOutcome, type BranchStoreOptions } from './branch-store.js';
import { buildRecord, type RunFacts } from './build-record.js';
import { renderDashboard } from './dashboard/page.js';
import { renderHistorySummary } from './trend-summary.js';

export const DASHBOARD_FILE = 'history.html';

export interface PushRunInput {
  store: BranchStoreOptions;
  results: Results;
  verdict: Verdict;
  facts: RunFacts;
  /** Where the dashboard is written. */
  directory: string;
  log: Logger;
  serverUrl?: string;
}

export interface PushRunOutcome {
  /** Markdown for the job summary (the trend, or why there is none). */
  summary: string;
  notes: string[];
  dashboardFile?: string;
  append?: AppendOutcome;
}

export async function recordPushRun(input: PushRunInput): Promise<PushRunOutcome> {
  const { store, log } = input;
  let append: AppendOutcome;
  try {
    const record = buildRecord(input.results, input.verdict, input.facts);
    append = await appendRecord({ ...store, log: (line) => log.info(line) }, record);
  } catch (error) {
    log.warn(`could not add this run to the history on ${store.branch}: ${errorMessage(error)}`);
    return {
      summary: '',
      notes: [
        `⚠️ This run was not added to the history on \`${store.branch}\`: ${inlineText(errorMessage(error), 300)}.`,
      ],
    };
  }
  log.info(
    `history: added ${append.path} to ${store.branch} (${append.records.length} record(s)${append.dropped ? `, ${append.dropped} removed by the size rule or a re-run` : ''}, push attempt ${append.attempts})`,
  );
  for (const line of append.skipped.slice(0, 20)) log.warn(`history: skipped ${line}`);
  const dashboardFile = join(input.directory, DASHBOARD_FILE);
  await writeFile(
    dashboardFile,
    renderDashboard(append.records, {
      profile: input.results.profile.name,
      source: `branch ${store.branch}`,
      skipped: append.skipped,
      serverUrl: input.serverUrl,
    }),
  );
  return {
    summary: renderHistorySummary(append.records, append.skipped, store.branch),
    notes: [
      `This run was added to the history on \`${store.branch}\` (${append.records.length} record(s) of this profile).`,
    ],
    dashboardFile,
    append,
  };
}
