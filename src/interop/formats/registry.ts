/**
 * The import formats `meshgate import` recognises, asked in this order (the first whose detect()
 * accepts the content reads it). Adding a format: its folder and one line here.
 */
import { fortioFormat } from './fortio/format.js';
import { hdrLogFormat } from './hdr-log/format.js';
import { nighthawkFormat } from './nighthawk/format.js';
import type { ImportFormat } from './types.js';

export const IMPORT_FORMATS: readonly ImportFormat[] = [fortioFormat, nighthawkFormat, hdrLogFormat];
