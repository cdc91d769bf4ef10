/** Registers every local data plane (each file calls registerLocalDataPlane). */
import './nginx.js';
import './haproxy.js';
import './envoy.js';
