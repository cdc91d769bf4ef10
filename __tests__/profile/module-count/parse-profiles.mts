// Child program of loads-no-platform.test.ts: parse every profile named on the command line with
// the profile layer, as `meshgate validate` would before anything else, and nothing more.
import { loadProfile } from '../../../src/profile/load.js';

for (const file of process.argv.slice(2)) await loadProfile(file);
