/**
 * Links on the dashboard, built only from fields that passed a pattern: the commit (hex), the run
 * id (digits), the repository (owner/name) and a server URL of the form https://host. Anything
 * else yields no link, never a link with a foreign string in it.
 */
import { COMMIT_PATTERN, REPOSITORY_PATTERN, type HistoryRecord } from '../record-schema.js';

const SERVER_PATTERN = /^https:\/\/[A-Za-z0-9.-]{1,253}(?::\d{1,5})?$/;

export interface RecordLinks {
  commit?: string;
  run?: string;
}

export function recordLinks(record: HistoryRecord, serverUrl = 'https://github.com'): RecordLinks {
  const server = serverUrl.replace(/\/+$/, '');
  if (!SERVER_PATTERN.test(server) || !record.repository || !REPOSITORY_PATTERN.test(record.repository))
    return {};
  const base = `${server}/${record.repository}`;
  return {
    commit: COMMIT_PATTERN.test(record.commit) ? `${base}/commit/${record.commit}` : undefined,
    run:
      record.runId !== undefined && Number.isSafeInteger(record.runId) && record.runId > 0
        ? `${base}/actions/runs/${record.runId}`
        : undefined,
  };
}
