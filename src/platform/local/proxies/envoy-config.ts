/**
 * Envoy bootstrap (v3 API, static resources) for one hop of a local data plane, as a plain object
 * written as JSON (Envoy reads JSON as YAML). One listener with an HTTP connection manager routing
 * everything to one cluster; TLS contexts from the hop plan; HTTP/2 to the upstream through the
 * cluster's explicit protocol options. Envoy pools and reuses upstream connections by default.
 */
import { isIP } from 'node:net';
import type { HopPlan } from './topology.js';

export interface EnvoyHopOptions {
  plan: HopPlan;
  /** Access log file; undefined = no access log. */
  accessLogPath?: string;
}

const TYPE = {
  hcm: 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
  router: 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router',
  fileLog: 'type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog',
  downstreamTls: 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext',
  upstreamTls: 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext',
  httpOptions: 'type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
};

const file = (path: string) => ({ filename: path });

function downstreamTls(tls: NonNullable<HopPlan['listen']['tls']>, http2: boolean) {
  return {
    name: 'envoy.transport_sockets.tls',
    typed_config: {
      '@type': TYPE.downstreamTls,
      require_client_certificate: Boolean(tls.clientCaPath),
      common_tls_context: {
        tls_certificates: [{ certificate_chain: file(tls.certPath), private_key: file(tls.keyPath) }],
        alpn_protocols: http2 ? ['h2', 'http/1.1'] : ['http/1.1'],
        ...(tls.clientCaPath ? { validation_context: { trusted_ca: file(tls.clientCaPath) } } : {}),
      },
    },
  };
}

function upstreamTls(tls: NonNullable<HopPlan['upstream']['tls']>, http2: boolean) {
  return {
    name: 'envoy.transport_sockets.tls',
    typed_config: {
      '@type': TYPE.upstreamTls,
      sni: tls.serverName,
      common_tls_context: {
        alpn_protocols: [http2 ? 'h2' : 'http/1.1'],
        validation_context: {
          trusted_ca: file(tls.caPath),
          match_typed_subject_alt_names: [{ san_type: 'DNS', matcher: { exact: tls.serverName } }],
        },
        ...(tls.certPath && tls.keyPath
          ? { tls_certificates: [{ certificate_chain: file(tls.certPath), private_key: file(tls.keyPath) }] }
          : {}),
      },
    },
  };
}

export function envoyConfig({ plan, accessLogPath }: EnvoyHopOptions): Record<string, unknown> {
  const { listen, upstream } = plan;
  const connectionManager = {
    '@type': TYPE.hcm,
    stat_prefix: plan.role,
    codec_type: 'AUTO',
    ...(accessLogPath
      ? { access_log: [{ name: 'envoy.access_loggers.file', typed_config: { '@type': TYPE.fileLog, path: accessLogPath } }] }
      : {}),
    route_config: {
      name: 'all',
      request_headers_to_add: [
        { header: { key: 'x-meshgate-hops', value: `envoy/${plan.role}` }, append_action: 'APPEND_IF_EXISTS_OR_ADD' },
      ],
      virtual_hosts: [{ name: 'all', domains: ['*'], routes: [{ match: { prefix: '/' }, route: { cluster: 'upstream_app', timeout: '60s' } }] }],
    },
    http_filters: [{ name: 'envoy.filters.http.router', typed_config: { '@type': TYPE.router } }],
  };
  return {
    static_resources: {
      listeners: [
        {
          name: `${plan.role}_listener`,
          address: { socket_address: { address: listen.host, port_value: listen.port } },
          filter_chains: [
            {
              filters: [{ name: 'envoy.filters.network.http_connection_manager', typed_config: connectionManager }],
              ...(listen.tls ? { transport_socket: downstreamTls(listen.tls, listen.http2) } : {}),
            },
          ],
        },
      ],
      clusters: [
        {
          name: 'upstream_app',
          type: isIP(upstream.host) ? 'STATIC' : 'STRICT_DNS',
          connect_timeout: '5s',
          lb_policy: 'ROUND_ROBIN',
          load_assignment: {
            cluster_name: 'upstream_app',
            endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: upstream.host, port_value: upstream.port } } } }] }],
          },
          typed_extension_protocol_options: {
            'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': {
              '@type': TYPE.httpOptions,
              explicit_http_config: upstream.http2 ? { http2_protocol_options: {} } : { http_protocol_options: {} },
            },
          },
          ...(upstream.tls ? { transport_socket: upstreamTls(upstream.tls, upstream.http2) } : {}),
        },
      ],
    },
  };
}
