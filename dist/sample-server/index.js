import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ // The require scope
/******/ var __nccwpck_require__ = {};
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/compat get default export */
/******/ (() => {
/******/ 	// getDefaultExport function for compatibility with non-harmony modules
/******/ 	__nccwpck_require__.n = (module) => {
/******/ 		var getter = module && module.__esModule ?
/******/ 			() => (module['default']) :
/******/ 			() => (module);
/******/ 		__nccwpck_require__.d(getter, { a: getter });
/******/ 		return getter;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/************************************************************************/
var __webpack_exports__ = {};

;// CONCATENATED MODULE: external "node:util"
const external_node_util_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util");
;// CONCATENATED MODULE: external "node:http"
const external_node_http_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http");
var external_node_http_default = /*#__PURE__*/__nccwpck_require__.n(external_node_http_namespaceObject);
;// CONCATENATED MODULE: external "node:http2"
const external_node_http2_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http2");
var external_node_http2_default = /*#__PURE__*/__nccwpck_require__.n(external_node_http2_namespaceObject);
;// CONCATENATED MODULE: external "node:worker_threads"
const external_node_worker_threads_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:worker_threads");
;// CONCATENATED MODULE: ./src/load/precise-wake.ts
/**
 * Sub-millisecond wake-ups without spinning. Node's timers have 1 ms granularity and fire
 * 0.1–1 ms late; polling with setImmediate is precise but keeps a core busy, and on a shared
 * machine a spinning thread is descheduled for tens of ms at a time (worse than late timers).
 *
 * Instead a tiny helper thread sleeps in the kernel (Atomics.wait, µs resolution) until the
 * requested time and then posts a message, which wakes this thread's event loop at once (libuv
 * wakes epoll through an eventfd). Both threads sleep while they wait.
 *
 * The helper is an eval'd, dependency-free script, so it needs no file of its own in bundles.
 */

// Shared state: i32[0] generation (bumped on every change), i32[1] stop flag; f64[1] target
// time in epoch ms (0 = none).
const TICKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const control = new Int32Array(workerData.buffer, 0, 2);
const target = new Float64Array(workerData.buffer, 8, 1);
const port = workerData.port;
const now = () => performance.timeOrigin + performance.now();
let fired = -1;
while (Atomics.load(control, 1) === 0) {
  const generation = Atomics.load(control, 0);
  const at = target[0];
  if (at === 0 || fired === generation) { Atomics.wait(control, 0, generation); continue; }
  const remainingMs = at - now();
  if (remainingMs > 0) { Atomics.wait(control, 0, generation, remainingMs); continue; }
  fired = generation;
  port.postMessage(generation);
}
port.close();
`;
const epochNowMs = () => performance.timeOrigin + performance.now();
class PreciseWake {
    buffer = new SharedArrayBuffer(16);
    control = new Int32Array(this.buffer, 0, 2);
    target = new Float64Array(this.buffer, 8, 1);
    port;
    ticker;
    closed = false;
    /** `onWake` runs on this thread's event loop at (or µs after) each requested time. */
    constructor(onWake) {
        const { port1, port2 } = new external_node_worker_threads_namespaceObject.MessageChannel();
        this.port = port1;
        this.port.on('message', (generation) => {
            // A wake for a request that was replaced or cancelled meanwhile is ignored.
            if (generation === Atomics.load(this.control, 0) && this.target[0] !== 0) {
                this.target[0] = 0;
                onWake();
            }
        });
        this.port.unref();
        this.ticker = new external_node_worker_threads_namespaceObject.Worker(TICKER_SOURCE, { eval: true, workerData: { buffer: this.buffer, port: port2 }, transferList: [port2] });
        this.ticker.unref();
    }
    /** Wake once at this performance.now() time of the calling thread (replaces any earlier request). */
    at(localMs) {
        if (this.closed)
            return;
        this.target[0] = Math.max(1, localMs + performance.timeOrigin);
        this.bump();
        this.port.ref(); // a pending wake keeps the event loop alive
    }
    cancel() {
        this.target[0] = 0;
        this.bump();
        this.port.unref();
    }
    close() {
        if (this.closed)
            return;
        this.closed = true;
        this.target[0] = 0;
        Atomics.store(this.control, 1, 1);
        this.bump();
        this.port.close();
    }
    bump() {
        Atomics.add(this.control, 0, 1);
        Atomics.notify(this.control, 0);
    }
}


;// CONCATENATED MODULE: ./src/workload/sample-server-timer.ts
/**
 * Runs callbacks at precise performance.now() deadlines. setTimeout alone fires 0.1–1 ms late,
 * so the queue sleeps (PreciseWake: a helper thread in Atomics.wait) until ~0.25 ms before the
 * earliest deadline and then polls with setImmediate. Deadlines are kept sorted (they arrive
 * nearly in order, so inserting from the back is cheap).
 */

const POLL_WINDOW_MS = 0.25;
class DeadlineQueue {
    entries = [];
    head = 0;
    wakeUp;
    immediate;
    get size() {
        return this.entries.length - this.head;
    }
    at(deadlineMs, run) {
        let i = this.entries.length;
        while (i > this.head && this.entries[i - 1].deadlineMs > deadlineMs)
            i--;
        this.entries.splice(i, 0, { deadlineMs, run });
        this.schedule();
    }
    /** Drop every pending callback and stop the helper thread. */
    close() {
        this.entries.length = 0;
        this.head = 0;
        this.disarm();
        this.wakeUp?.close();
        this.wakeUp = undefined;
    }
    disarm() {
        this.wakeUp?.cancel();
        if (this.immediate)
            clearImmediate(this.immediate);
        this.immediate = undefined;
    }
    schedule() {
        if (this.immediate)
            clearImmediate(this.immediate);
        this.immediate = undefined;
        if (this.size === 0)
            return this.wakeUp?.cancel();
        const deadlineMs = this.entries[this.head].deadlineMs;
        if (deadlineMs - performance.now() > POLL_WINDOW_MS)
            (this.wakeUp ??= new PreciseWake(this.tick)).at(deadlineMs - POLL_WINDOW_MS);
        else {
            this.wakeUp?.cancel();
            this.immediate = setImmediate(this.tick);
        }
    }
    tick = () => {
        this.immediate = undefined;
        const now = performance.now();
        while (this.head < this.entries.length && this.entries[this.head].deadlineMs <= now) {
            const entry = this.entries[this.head++];
            entry.run();
        }
        if (this.head > 1024 && this.head * 2 > this.entries.length) {
            this.entries.splice(0, this.head);
            this.head = 0;
        }
        this.schedule();
    };
}

;// CONCATENATED MODULE: ./src/workload/sample-server.ts
/**
 * The built-in sample server ("echo"): answers every request `delayMs` (+ uniform 0..jitterMs)
 * after it was read, with `responseBytes` bytes of body. With `stallMs`/`stallEveryMs` it stalls
 * for S ms every P ms (counted from start): an answer due inside a stall is held until the stall
 * ends, so at a steady rate a fraction S/P of requests is delayed by a uniform 0..S (METHOD.md's
 * stall arithmetic). HTTP/1.1 keep-alive, or HTTP/2 cleartext (h2c) with `http2`.
 */



/** When an answer due at `dueMs` may leave, given stalls of `stallMs` every `everyMs` since `startMs`. */
function releaseTimeMs(dueMs, startMs, stallMs, everyMs) {
    if (stallMs <= 0 || everyMs <= 0)
        return dueMs;
    const phaseMs = (dueMs - startMs) % everyMs;
    return phaseMs >= 0 && phaseMs < stallMs ? dueMs + (stallMs - phaseMs) : dueMs;
}
async function startSampleServer(options = {}) {
    const host = options.host ?? '127.0.0.1';
    const delayMs = Math.max(0, options.delayMs ?? 0);
    const jitterMs = Math.max(0, options.jitterMs ?? 0);
    const stallMs = Math.max(0, options.stallMs ?? 0);
    const stallEveryMs = Math.max(0, options.stallEveryMs ?? 0);
    const body = Buffer.alloc(Math.max(0, options.responseBytes ?? 16), 'x');
    const queue = new DeadlineQueue();
    const startMs = performance.now();
    const immediate = delayMs === 0 && jitterMs === 0 && stallMs === 0;
    const answer = (response) => {
        if (response.destroyed)
            return;
        response.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length });
        response.end(body);
    };
    const handle = (request, response) => {
        const readMs = performance.now();
        const respond = () => {
            if (immediate)
                return answer(response);
            const dueMs = readMs + delayMs + (jitterMs > 0 ? Math.random() * jitterMs : 0);
            queue.at(releaseTimeMs(dueMs, startMs, stallMs, stallEveryMs), () => answer(response));
        };
        // Bodyless requests are answered from the moment their head was read.
        const bodyless = !request.headers['content-length'] && !request.headers['transfer-encoding'];
        if (bodyless) {
            request.resume();
            respond();
        }
        else {
            request.on('data', () => { }).on('end', respond);
        }
    };
    const server = options.http2
        ? external_node_http2_default().createServer({ settings: { maxConcurrentStreams: 1000 } }, handle)
        : external_node_http_default().createServer({ keepAliveTimeout: 120_000, headersTimeout: 130_000, requestTimeout: 0 }, handle);
    const sessions = new Set();
    if (options.http2) {
        server.on('session', (session) => {
            sessions.add(session);
            session.on('close', () => sessions.delete(session));
        });
    }
    await new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port ?? 0, host, () => {
            server.off('error', reject);
            resolve();
        });
    });
    const port = server.address().port;
    const urlHost = host.includes(':') ? `[${host}]` : host;
    return {
        url: `http://${urlHost}:${port}`,
        port,
        close: () => new Promise((resolve) => {
            queue.close();
            server.close(() => resolve());
            if (server instanceof (external_node_http_default()).Server)
                server.closeAllConnections();
            for (const session of sessions)
                session.destroy();
        }),
    };
}

;// CONCATENATED MODULE: ./src/workload/sample-server-main.ts
/**
 * Process entry of the sample server (dist/sample-server):
 *   --host H --port N --delay-ms D --jitter-ms J --response-bytes B --stall-ms S --stall-every-ms P [--http2]
 * Prints `listening http://HOST:PORT` once ready; exits cleanly on SIGTERM/SIGINT.
 */


function numberFlag(values, name) {
    const text = values[name];
    if (text === undefined)
        return undefined;
    const value = Number(text);
    if (typeof text !== 'string' || text.trim() === '' || !Number.isFinite(value) || value < 0) {
        process.stderr.write(`sample-server: --${name} must be a number ≥ 0, got ${JSON.stringify(text)}\n`);
        process.exit(2);
    }
    return value;
}
async function main() {
    let values;
    try {
        values = (0,external_node_util_namespaceObject.parseArgs)({
            options: {
                host: { type: 'string' },
                port: { type: 'string' },
                'delay-ms': { type: 'string' },
                'jitter-ms': { type: 'string' },
                'response-bytes': { type: 'string' },
                'stall-ms': { type: 'string' },
                'stall-every-ms': { type: 'string' },
                http2: { type: 'boolean' },
            },
            strict: true,
        }).values;
    }
    catch (error) {
        process.stderr.write(`sample-server: ${error.message}\n`);
        process.exit(2);
    }
    const server = await startSampleServer({
        host: values.host,
        port: numberFlag(values, 'port'),
        delayMs: numberFlag(values, 'delay-ms'),
        jitterMs: numberFlag(values, 'jitter-ms'),
        responseBytes: numberFlag(values, 'response-bytes'),
        stallMs: numberFlag(values, 'stall-ms'),
        stallEveryMs: numberFlag(values, 'stall-every-ms'),
        http2: values.http2 === true,
    });
    const stop = () => {
        const force = setTimeout(() => process.exit(0), 2000);
        force.unref();
        void server.close().then(() => process.exit(0));
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    process.stdout.write(`listening ${server.url}\n`);
}
main().catch((error) => {
    process.stderr.write(`sample-server: ${error.message}\n`);
    process.exit(3);
});

