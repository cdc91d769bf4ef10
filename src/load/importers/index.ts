/** Importers of other load tools' results, each into the LoadTrial shape. */
export { importFortio, importFortioFile } from './fortio.js';
export { importNighthawk, importNighthawkFile, NIGHTHAWK_LATENCY_ID } from './nighthawk.js';
export { importHdrLog, importHdrLogFile, type HdrLogUnit } from './hdr-log.js';
