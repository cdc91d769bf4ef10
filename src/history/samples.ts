/** History records as the trend's job samples (trend/series.ts), oldest first. */
import type { JobSample } from '../trend/series.js';
import type { HistoryRecord } from './record-schema.js';

export interface StoredRecord {
  /** Where it was read from (a path in the branch or on disk): for notices and the trend's list. */
  file: string;
  record: HistoryRecord;
}

export function sampleOfRecord({ file, record }: StoredRecord): JobSample {
  return {
    file,
    sha: record.commit,
    createdAt: record.createdAt,
    capacityRun: record.capacityRun,
    variantIds: record.variants.map((v) => v.id),
    raw: (id, metric) => record.variants.find((v) => v.id === id)?.latencyMs?.[metric],
    ratio: (id, to, metric) => record.ratios.find((r) => r.variant === id && r.to === to)?.[metric],
  };
}

/** Oldest first: by creation time, then by file name (which starts with the time). */
export function inTimeOrder(records: readonly StoredRecord[]): StoredRecord[] {
  return [...records].sort(
    (a, b) => Date.parse(a.record.createdAt) - Date.parse(b.record.createdAt) || a.file.localeCompare(b.file),
  );
}
