import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { redactProfile } from '../../util/secrets.js';
import { stringify } from 'yaml';
import { validateForAllPlatforms } from '../../platform/registry.js';
import type { ValidationPolicy } from '../../platform/types.js';
import { validateImportFiles, missingPrograms } from '../../profile/file-validation.js';
import { loadProfile } from '../../profile/load.js';
import { profileToInput } from '../../profile/to-input.js';
import { profileWarnings } from '../../profile/warnings.js';
import { commonOptions, parse } from '../args.js';
import type { Command } from '../command.js';

export const validateCommand: Command = {
  name: 'validate',
  summary: 'check a profile, print the normalised form',
  usage: `meshgate validate PROFILE [--json] [--run-profile-code]

Checks a profile (meshgate YAML, or a Meshery/SMP performance test file) and prints it with
every default filled in, in the form profiles are written (snake_case keys, durations with units,
percentages with %): the output is itself a valid profile. \${NAME} in strings is replaced by the
environment variable NAME (an unset one is an error). A mesh entry's own proxy files are generated
into configs and checked with the proxy's check mode (nginx -t, haproxy -c, envoy --mode validate)
where that proxy is installed; a cluster mesh's manifests, proxy annotations and install values are
checked against the rules of the mesh version a run would install. Warnings (e.g. too few trials) go to stderr.
Exit 0 when valid, 2 with a message naming the file, field and value when not.

validate runs nobody's code: the only programs it starts are the installed nginx, haproxy and
envoy in their check modes (--verbose prints each command), in a throw-away folder, on configs that
have been read first. It refuses (exit 2) modules from outside nginx's module folder, scripts
from outside the profile's folder, Perl, OpenSSL engines, and log, pid or temp paths outside
that folder; it leaves a config that loads HAProxy Lua or an Envoy Lua/WASM filter, and a mesh's
own binary, to \`meshgate run\` (which runs them by design) and says so.

  --json              print the normalised form results.json embeds (camelCase, durations in s or ms,
                      percentages as fractions) instead
  --run-profile-code  trust the profile: load its modules and scripts and run its binaries in the
                      proxies' checks, as \`meshgate run\` does`,
  async run(argv, io) {
    const { values, positionals } = parse(
      'validate',
      argv,
      { ...commonOptions, json: { type: 'boolean' }, 'run-profile-code': { type: 'boolean' } },
      { min: 1, max: 1 },
    );
    if (values.help) {
      io.out(validateCommand.usage);
      return 0;
    }
    const profile = await loadProfile(positionals[0], io.signal);
    validateImportFiles(profile, positionals[0]);
    for (const missing of missingPrograms(profile, positionals[0]))
      io.log.warn(`${missing}: meshgate run will refuse it unless the build has made it by then`);
    // Each platform's checks: a local proxy's own configs through its check mode where it is
    // installed; a cluster mesh's manifests, proxy annotations and install files against the rules
    // of the mesh version a run would install.
    const workDir = await mkdtemp(join(tmpdir(), 'meshgate-validate-'));
    try {
      const policy: ValidationPolicy = {
        trusted: values['run-profile-code'] === true,
        profileDir: dirname(resolve(positionals[0])),
        note: (message) => io.log.info(message),
        warn: (message) => io.log.warn(message),
        running: (message) => io.log.debug(message),
      };
      await validateForAllPlatforms(profile, workDir, policy);
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
    for (const warning of profileWarnings(profile, positionals[0])) io.log.warn(warning);
    // Printed to CI logs: credentials (URL user information, credential headers, header values
    // from \${…}) show as *** (util/secrets.ts).
    io.out(
      values.json
        ? JSON.stringify(redactProfile(profile), null, 2)
        : stringify(redactProfile(profileToInput(profile))).trimEnd(),
    );
    return 0;
  },
};
