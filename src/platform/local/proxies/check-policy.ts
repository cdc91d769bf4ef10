/**
 * What `meshgate validate` lets a proxy's check mode load. `nginx -t`, `haproxy -c` and `envoy
 * --mode validate` do more than parse: `haproxy -c` runs a `lua-load` script's top level, `nginx
 * -t` dlopen()s a `load_module` object (its constructor runs) and creates its log, pid and temp
 * paths, Envoy compiles Lua and WASM filters. People validate profiles from pull requests to see
 * whether they are sound, so before a check runs, the user's files are read here (following nginx
 * `include`s) and, unless validate was given --run-profile-code:
 *  - refused (exit 2): a module from outside nginx's own module folder; a script (`lua-load`,
 *    `js_import`, `js_path`) from outside the profile's folder; Perl, `init_by_lua`, OpenSSL
 *    engines and providers; a log, pid or temp path outside the check's throw-away folder; a
 *    directive name written with quotes, escapes or variables (it cannot be classified);
 *  - not checked by the proxy, with a note saying so: a config that loads HAProxy Lua (the check
 *    would run it) or an Envoy Lua/WASM filter, and every mesh whose `binary` the profile names.
 * njs modules are only compiled by `nginx -t` (checked: a top-level `throw` or file write in an
 * imported module does not run), so njs from the profile's folder is checked.
 * `meshgate run` executes the profile's programs by design and checks with the policy off.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { UserError } from '../../../errors.js';
import { isInside } from '../../../util/paths.js';

export { isInside };

export interface CheckPolicy {
  /** Run what the profile's files load (validate --run-profile-code; run). */
  trusted: boolean;
  /** The profile's folder: scripts may be loaded from under it. */
  profileDir?: string;
  /** Said when a proxy's check is left out. */
  note?(message: string): void;
  /** Each command a check runs (validate --verbose). */
  running?(message: string): void;
  /** nginx's dynamic-module folder (default: `--modules-path` of the nginx on PATH). */
  nginxModulesDir?: string;
}

export const TRUSTED: CheckPolicy = { trusted: true };

const FLAG = '--run-profile-code';

/** Debian's nginx module packages (apt-cache search libnginx-mod, bookworm, 2026-12-06). */
const DEBIAN_NGINX_MODULE_PACKAGES = new Set(
  [
    'http-auth-pam',
    'http-brotli-filter',
    'http-brotli-static',
    'http-cache-purge',
    'http-dav-ext',
    'http-echo',
    'http-fancyindex',
    'http-geoip',
    'http-geoip2',
    'http-headers-more-filter',
    'http-image-filter',
    'http-js',
    'http-lua',
    'http-memc',
    'http-modsecurity',
    'http-ndk',
    'http-perl',
    'http-set-misc',
    'http-srcache-filter',
    'http-subs-filter',
    'http-uploadprogress',
    'http-upstream-fair',
    'http-xslt-filter',
    'mail',
    'nchan',
    'rtmp',
    'stream',
    'stream-geoip',
    'stream-geoip2',
    'stream-js',
  ].map((name) => `libnginx-mod-${name}`),
);

/** "ngx_http_js_module.so" → "libnginx-mod-http-js", when Debian has such a package. */
export function debianPackageForNginxModule(file: string): string | undefined {
  const name = basename(file);
  const stem = name === 'ndk_http_module.so' ? 'http_ndk' : /^ngx_(.+)_module\.so$/.exec(name)?.[1];
  const candidate = stem && `libnginx-mod-${stem.replace(/_/g, '-')}`;
  return candidate && DEBIAN_NGINX_MODULE_PACKAGES.has(candidate) ? candidate : undefined;
}

let modulesDirCache: string | undefined;
/** Where the system's nginx keeps dynamic modules: MESHGATE_NGINX_MODULES_DIR, `nginx -V`, or Debian's. */
export function nginxModulesDir(policy: CheckPolicy, systemNginx?: string): string {
  if (policy.nginxModulesDir) return policy.nginxModulesDir;
  if (process.env.MESHGATE_NGINX_MODULES_DIR) return process.env.MESHGATE_NGINX_MODULES_DIR;
  if (modulesDirCache) return modulesDirCache;
  let found = '/usr/lib/nginx/modules';
  if (systemNginx) {
    try {
      // The distribution's nginx (never the profile's `binary`): `nginx -V` prints its build flags.
      const out = execFileSync(systemNginx, ['-V'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 10_000,
      });
      found = /--modules-path=(\S+)/.exec(out)?.[1] ?? found;
    } catch (error) {
      const stderr = String((error as { stderr?: unknown }).stderr ?? '');
      found = /--modules-path=(\S+)/.exec(stderr)?.[1] ?? found;
    }
  }
  return (modulesDirCache = found);
}

/** One statement of a config: its name as written and as read, its arguments and line. */
export interface Statement {
  name: string;
  /** The name was written with quotes, escapes or a variable. */
  disguised: boolean;
  args: string[];
  line: number;
}

/** nginx's tokenizer, as far as classifying statements needs: words, quotes, `;{}`, `#` comments. */
export function nginxStatements(text: string): Statement[] {
  const statements: Statement[] = [];
  let words: { text: string; plain: boolean }[] = [];
  let firstLine = 1;
  let line = 1;
  let i = 0;
  const end = () => {
    if (words.length > 0)
      statements.push({
        name: words[0].text,
        disguised: !words[0].plain,
        args: words.slice(1).map((w) => w.text),
        line: firstLine,
      });
    words = [];
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '\n') line++;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (c === ';' || c === '{' || c === '}') {
      end();
      i++;
      continue;
    }
    if (words.length === 0) firstLine = line;
    let word = '';
    let plain = true;
    if (c === '"' || c === "'") {
      plain = false;
      i++;
      while (i < text.length && text[i] !== c) {
        if (text[i] === '\\' && i + 1 < text.length) i++;
        if (text[i] === '\n') line++;
        word += text[i++];
      }
      i++;
    } else {
      while (i < text.length && !/[\s;{}]/.test(text[i])) {
        if (text[i] === '\\') plain = false;
        if (text[i] === '$') plain = false;
        word += text[i++];
      }
    }
    words.push({ text: word, plain });
  }
  end();
  return statements;
}

/** HAProxy's lines: keyword and arguments; quotes, escapes and `${VAR}` make a keyword disguised. */
export function haproxyStatements(text: string): Statement[] {
  const statements: Statement[] = [];
  text.split('\n').forEach((raw, index) => {
    const words: { text: string; plain: boolean }[] = [];
    let i = 0;
    while (i < raw.length) {
      while (i < raw.length && /\s/.test(raw[i])) i++;
      if (i >= raw.length || raw[i] === '#') break;
      let word = '';
      let plain = true;
      while (i < raw.length && !/\s/.test(raw[i])) {
        const c = raw[i];
        if (c === '"' || c === "'") {
          plain = false;
          i++;
          while (i < raw.length && raw[i] !== c) word += raw[i++];
          i++;
        } else if (c === '\\') {
          plain = false;
          word += raw[i + 1] ?? '';
          i += 2;
        } else {
          if (c === '$') plain = false;
          word += c;
          i++;
        }
      }
      words.push({ text: word, plain });
    }
    if (words.length > 0)
      statements.push({
        name: words[0].text,
        disguised: !words[0].plain,
        args: words.slice(1).map((w) => w.text),
        line: index + 1,
      });
  });
  return statements;
}

/** Where a statement is, for messages: "mesh[2].builds.head.include (/p/x.conf), line 3". */
export type Where = (line: number) => string;

const refuse = (where: string, what: string, why: string): never => {
  throw new UserError(`${where}: ${what}: ${why}`);
};

const shown = (statement: Statement): string =>
  `${statement.name} ${statement.args.join(' ')}`.trim().slice(0, 120);

const NGINX_LOG_SPECIALS = /^(off|stderr|syslog:|memory:)/;
const NGINX_WRITE_PATHS =
  /^(error_log|access_log|pid|lock_file|[a-z_]+_temp_path|[a-z_]+_cache_path|ssl_session_log)$/;
const NGINX_SCRIPT_PATHS = /^(js_import|js_include|js_path|js_preload_object)$/;
const NGINX_REFUSED = /^(perl.*|init_by_lua.*|ssl_engine)$/;

export interface NginxScan {
  /** The user's rendered text and where it is from. */
  text: string;
  where: Where;
  /** nginx's prefix (-p) and the folder the check may write in. */
  prefixDir: string;
  workDir: string;
}

/**
 * Apply the policy to an nginx file (and everything it includes). A module in nginx's module
 * folder that is not installed is exit 2 naming the Debian package, trusted or not: it is what
 * `nginx -t` would otherwise report in a line too long to read.
 */
export function checkNginxFiles(
  scan: NginxScan,
  policy: CheckPolicy,
  systemNginx: string | undefined,
  depth = 0,
): void {
  const modulesDir = nginxModulesDir(policy, systemNginx);
  const statements = nginxStatements(scan.text);
  const abs = (path: string) => resolve(scan.prefixDir, path);
  for (const statement of statements) {
    const where = scan.where(statement.line);
    const [first] = statement.args;
    if (!policy.trusted && statement.disguised)
      refuse(
        where,
        JSON.stringify(statement.name),
        `a directive name written with quotes, escapes or variables cannot be checked safely; write it plainly (or pass ${FLAG})`,
      );
    if (statement.name === 'load_module' && first !== undefined) {
      const path = abs(first);
      const inModules = isInside(path, modulesDir);
      const installed = join(modulesDir, basename(path));
      if (!existsSync(path) && existsSync(installed))
        throw new UserError(
          `${where}: load_module ${first}: no such file (nginx reads ${path}); the installed module is ${installed}: write that path`,
        );
      const pkg = debianPackageForNginxModule(path);
      if (!existsSync(path) && (inModules || pkg))
        throw new UserError(
          `${where}: load_module ${first}: the module is not installed${isAbsolute(first) ? '' : ` (a relative path is read from meshgate's prefix, not nginx's: write ${installed})`}; ${pkg ? `it comes with the Debian/Ubuntu package ${pkg} (apt-get install ${pkg})` : 'install the package that provides it'}`,
        );
      if (!policy.trusted && !inModules)
        refuse(
          where,
          `load_module ${first}`,
          `validate loads modules only from nginx's own module folder (${modulesDir}), since loading one runs its code; pass ${FLAG} to load it`,
        );
    }
    if (policy.trusted) continue;
    if (NGINX_REFUSED.test(statement.name))
      refuse(
        where,
        shown(statement),
        `runs code when nginx reads its config; validate does not run it (pass ${FLAG})`,
      );
    if (statement.args.some((arg) => /^engine:/.test(arg)))
      refuse(where, shown(statement), `loads an OpenSSL engine; validate does not (pass ${FLAG})`);
    if (NGINX_WRITE_PATHS.test(statement.name) && first !== undefined && !NGINX_LOG_SPECIALS.test(first)) {
      // The cache/temp paths' first argument is the folder; logs' and pid's, the file.
      if (!isInside(abs(first), scan.workDir))
        refuse(
          where,
          shown(statement),
          `nginx -t creates this path, and validate writes only inside its own throw-away folder; use a path under {{prefix}}`,
        );
    }
    if (NGINX_SCRIPT_PATHS.test(statement.name)) {
      const paths = statement.name === 'js_import' ? [statement.args.at(-1) ?? ''] : statement.args;
      for (const path of paths) {
        const outside = isAbsolute(path)
          ? !(policy.profileDir && isInside(path, policy.profileDir)) && !isInside(path, scan.workDir)
          : path.split(/[\\/]/).includes('..');
        if (outside)
          refuse(
            where,
            shown(statement),
            `validate loads scripts only from the profile's folder (${policy.profileDir ?? 'unknown'}); use {{config_dir}}/… or pass ${FLAG}`,
          );
      }
    }
    if (statement.name === 'include' && first !== undefined && depth < 8) {
      for (const file of expandInclude(resolve(dirname(join(scan.prefixDir, 'nginx.conf')), first))) {
        let text: string;
        try {
          if (!statSync(file).isFile()) continue;
          text = readFileSync(file, 'utf8').slice(0, 2 * 1024 * 1024);
        } catch {
          continue; // nginx -t reports what it cannot read
        }
        checkNginxFiles(
          { ...scan, text, where: (line) => `${where} → ${file}, line ${line}` },
          policy,
          systemNginx,
          depth + 1,
        );
      }
    }
  }
}

/** nginx's include takes a glob in the last component (as nginx does, with `*`, `?` and `[…]`). */
function expandInclude(pattern: string): string[] {
  if (!/[*?[]/.test(pattern)) return [pattern];
  const folder = dirname(pattern);
  if (/[*?[]/.test(folder)) return [];
  const glob = new RegExp(
    `^${basename(pattern)
      .replace(/[.+^${}()|\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  try {
    return readdirSync(folder)
      .filter((name) => glob.test(name))
      .sort()
      .slice(0, 200)
      .map((name) => join(folder, name));
  } catch {
    return [];
  }
}

const HAPROXY_LUA = /^lua-(load|load-per-thread|prepend-path)$/;
const HAPROXY_REFUSED = /^(ssl-engine|ssl-provider|ssl-provider-path|module-load|module-path)$/;
const HAPROXY_LOG_TARGET = /^(stdout|stderr|ring@|fd@|udp|tcp|ipv4@|ipv6@|\d|\[)/;

/**
 * Apply the policy to one of the user's HAProxy files. Returns the Lua files it loads: `haproxy
 * -c` runs them, so an untrusted check leaves such a config to `meshgate run`.
 */
export function checkHaproxyFile(text: string, where: Where, workDir: string, policy: CheckPolicy): string[] {
  const lua: string[] = [];
  if (policy.trusted) return lua;
  for (const statement of haproxyStatements(text)) {
    const at = where(statement.line);
    const [first] = statement.args;
    if (statement.disguised)
      refuse(
        at,
        JSON.stringify(statement.name),
        `a keyword written with quotes, escapes or variables cannot be checked safely; write it plainly (or pass ${FLAG})`,
      );
    if (HAPROXY_REFUSED.test(statement.name))
      refuse(
        at,
        shown(statement),
        `loads native code when HAProxy reads its config; validate does not (pass ${FLAG})`,
      );
    if (HAPROXY_LUA.test(statement.name) && first !== undefined) {
      const path = statement.name === 'lua-prepend-path' ? first.replace(/\?.*$/, '') : first;
      if (!isAbsolute(path) || !policy.profileDir || !isInside(path, policy.profileDir))
        refuse(
          at,
          shown(statement),
          `validate accepts Lua only from the profile's folder (${policy.profileDir ?? 'unknown'}); use {{config_dir}}/… or pass ${FLAG}`,
        );
      if (statement.name !== 'lua-prepend-path') lua.push(path);
    }
    if (
      statement.name === 'log' &&
      first !== undefined &&
      !HAPROXY_LOG_TARGET.test(first) &&
      first !== 'global'
    ) {
      const path = first.replace(/^unix@/, '');
      if ((path.startsWith('/') || first.startsWith('unix@')) && !isInside(path, workDir))
        refuse(
          at,
          shown(statement),
          `a log socket outside the check's folder; validate sends nothing outside it (use log stdout, or pass ${FLAG})`,
        );
    }
  }
  return lua;
}

/**
 * Whether an Envoy config loads code `envoy --mode validate` would compile or start: Lua and WASM
 * (HTTP and network filters, access loggers, bootstrap services), Go and dynamic modules. Any
 * mention counts: a false alarm only leaves the check to `meshgate run`.
 */
export function envoyLoadsCode(text: string): boolean {
  return /\.(lua|wasm|golang|dynamic_modules)\b|\.wasm"|\.so"/i.test(text);
}

export { FLAG as RUN_PROFILE_CODE_FLAG };
