"""A generic unary gRPC echo server on grpcio (Debian's python3-grpcio): h2c only, no health
service, no reflection, as grpc-go and grpc-java serve by default. It is not meshgate's code, so a
claim tested against it holds for a server meshgate did not write. Prints `listening PORT`."""
import sys
from concurrent import futures

import grpc


def echo(request, context):
    return request


handler = grpc.method_handlers_generic_handler(
    "test.Echo", {"Echo": grpc.unary_unary_rpc_method_handler(echo)}
)
server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
server.add_generic_rpc_handlers((handler,))
port = server.add_insecure_port("127.0.0.1:0")
server.start()
print(f"listening {port}", flush=True)
server.wait_for_termination(timeout=float(sys.argv[1]) if len(sys.argv) > 1 else 300)
