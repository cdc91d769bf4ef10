// Preloaded (node --require) into every process a stand-in pod runs, and inherited by its worker
// threads (tests only). It stands in for two things only a real cluster has:
// - cluster DNS and the Service's virtual IP (kube-proxy): a connection to
//   "<service>.<namespace>.svc.cluster.local:<port>" (or a shorter form of the name) goes to the
//   address of a ready endpoint of that Service, from the table the stand-in wrote when the pod
//   started. The name still travels in the Host header and TLS SNI as it would in a cluster.
//   Names not in the table are looked up as usual (and fail, as an unknown Service does).
// - the pod's own network namespace: a server listening on every address ("0.0.0.0", "::" or no
//   host) at port P listens on 127.0.0.1 at a free port instead, recorded as P → address in the
//   pod's ports.json, which is how Services find their endpoints. Two pods may both listen on
//   8080, as they may in a cluster.
'use strict';
const fs = require('node:fs');
const net = require('node:net');

const networkFile = process.env.STANDIN_POD_NETWORK;
const network = networkFile ? JSON.parse(fs.readFileSync(networkFile, 'utf8')) : { services: {} };

function route(host, port) {
  const address = network.services[`${host}:${port}`];
  if (!address) return undefined;
  const colon = address.lastIndexOf(':');
  return { host: address.slice(0, colon), port: Number(address.slice(colon + 1)) };
}

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  // net.connect passes [options, callback] as one normalised array; direct calls pass options or (port, host).
  const options = Array.isArray(args[0]) ? args[0][0] : args[0];
  if (options && typeof options === 'object' && options.host !== undefined && options.port !== undefined) {
    const target = route(options.host, options.port);
    if (target) Object.assign(options, target);
  } else if ((typeof args[0] === 'number' || typeof args[0] === 'string') && typeof args[1] === 'string') {
    const target = route(args[1], args[0]);
    if (target) [args[0], args[1]] = [target.port, target.host];
  }
  return connect.apply(this, args);
};

const WILDCARD = new Set([undefined, null, '', '0.0.0.0', '::']);
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  let port;
  if (args[0] && typeof args[0] === 'object' && !Array.isArray(args[0]) && args[0].path === undefined && WILDCARD.has(args[0].host)) {
    port = Number(args[0].port ?? 0);
    args[0] = { ...args[0], host: '127.0.0.1', port: 0 };
  } else if ((typeof args[0] === 'number' || typeof args[0] === 'string') && !Number.isNaN(Number(args[0]))) {
    const host = typeof args[1] === 'string' ? args[1] : undefined;
    if (WILDCARD.has(host)) {
      port = Number(args[0]);
      args[0] = 0;
      if (typeof args[1] === 'string') args[1] = '127.0.0.1';
      else args.splice(1, 0, '127.0.0.1');
    }
  }
  if (port !== undefined && network.portsFile)
    this.once('listening', () => {
      const ports = fs.existsSync(network.portsFile) ? JSON.parse(fs.readFileSync(network.portsFile, 'utf8')) : {};
      ports[String(port)] = `127.0.0.1:${this.address().port}`;
      // Written aside and renamed, so that the stand-in never reads half of it.
      fs.writeFileSync(`${network.portsFile}.${process.pid}`, JSON.stringify(ports));
      fs.renameSync(`${network.portsFile}.${process.pid}`, network.portsFile);
    });
  return listen.apply(this, args);
};
