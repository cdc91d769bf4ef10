/** fortio `load -json` results (also Nighthawk's fortio-format output): detection and precision. */
import { isObject, type ImportFormat, type JsonObject } from '../types.js';
import { importFortio } from './reader.js';

function fortioPrecision(raw: JsonObject): string {
  const data = (raw.DurationHistogram as JsonObject | undefined)?.Data;
  const buckets = Array.isArray(data) ? (data as { Start?: unknown; End?: unknown }[]) : [];
  const widthsMs = buckets
    .map((b) => (Number(b.End) - Number(b.Start)) * 1000)
    .filter((w) => Number.isFinite(w) && w >= 0);
  const widestMs = widthsMs.length > 0 ? Math.max(...widthsMs) : 0;
  return (
    `coarse: ${buckets.length} fortio histogram bucket(s), the widest ${widestMs.toPrecision(3)} ms; ` +
    'counts, min and max exact, percentiles interpolated inside a bucket (off by up to its width); ' +
    'latency from the actual send (no coordinated-omission correction)'
  );
}

export const fortioFormat: ImportFormat = {
  name: 'fortio',
  content: 'json',
  noun: 'a fortio JSON result',
  mark: `fortio's (no "DurationHistogram" field)`,
  detect: ({ json }) => isObject(json) && 'DurationHistogram' in json,
  read: ({ json, file }) => ({
    precision: fortioPrecision(json as JsonObject),
    groups: [{ tag: '', trials: [importFortio(json, file)] }],
  }),
};
