"""A confd database plugin in Python, on Debian's python3-grpcio.

Values come from a JSON file named by the `dataFile` Configure key; watching polls it.
Stubs are generated from confd's .proto files (see integration/helpers/python-stubs.ts):
put the generated modules on PYTHONPATH.
"""
import json
import os
import sys
import tempfile
import threading
import time
from concurrent import futures

import grpc

import database_pb2
import database_pb2_grpc
import grpc_controller_pb2
import grpc_controller_pb2_grpc
import health_pb2
import health_pb2_grpc

COOKIE_KEY = "CONFD_PLUGIN_MAGIC_COOKIE"
COOKIE_VALUE = "xtanpmnh5nqffr256vnevap59w86p3wmxkfkcp9hx4fzf5frjc3tf3tkcczcatyd"


def under(key, prefix):
    prefix = prefix.rstrip("/")
    return prefix == "" or key == prefix or key.startswith(prefix + "/")


class Database(database_pb2_grpc.DatabaseServicer):
    def __init__(self):
        self.data_file = None

    def read(self):
        with open(self.data_file) as f:
            return json.load(f)

    def pick(self, prefixes):
        return {k: v for k, v in self.read().items() if any(under(k, p) for p in prefixes)}

    def Configure(self, request, context):
        self.data_file = request.config.get("dataFile")
        if not self.data_file:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "dataFile is required")
        return database_pb2.ConfigureResponse()

    def GetValues(self, request, context):
        return database_pb2.GetValuesResponse(values=self.pick(list(request.keys)))

    def WatchPrefix(self, request, context):
        last = self.pick([request.prefix])
        while context.is_active():
            time.sleep(0.1)
            now = self.pick([request.prefix])
            if now != last:
                last = now
                yield database_pb2.WatchPrefixResponse()


class Health(health_pb2_grpc.HealthServicer):
    def Check(self, request, context):
        if request.service in ("", "plugin"):
            return health_pb2.HealthCheckResponse(status=health_pb2.HealthCheckResponse.SERVING)
        context.abort(grpc.StatusCode.NOT_FOUND, "unknown service")


class Controller(grpc_controller_pb2_grpc.GRPCControllerServicer):
    def __init__(self, stop):
        self.stop = stop

    def Shutdown(self, request, context):
        threading.Timer(0.05, self.stop).start()
        return grpc_controller_pb2.Empty()


def main():
    if os.environ.get(COOKIE_KEY) != COOKIE_VALUE:
        sys.stderr.write(
            "This binary is a plugin. These are not meant to be executed directly.\n"
            "Please execute the program that consumes these plugins, which will\n"
            "load any plugins automatically\n"
        )
        sys.exit(1)
    # A private directory (0700) for the socket, inside the host's if it gave one.
    socket_dir = tempfile.mkdtemp(prefix="pymem-", dir=os.environ.get("PLUGIN_UNIX_SOCKET_DIR") or None)
    address = os.path.join(socket_dir, "plugin.sock")
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
    database_pb2_grpc.add_DatabaseServicer_to_server(Database(), server)
    health_pb2_grpc.add_HealthServicer_to_server(Health(), server)
    done = threading.Event()
    grpc_controller_pb2_grpc.add_GRPCControllerServicer_to_server(Controller(done.set), server)
    server.add_insecure_port("unix://" + address)
    server.start()
    os.chmod(address, 0o600)
    sys.stdout.write("1|1|unix|%s|grpc|\n" % address)
    sys.stdout.flush()
    parent = os.getppid()
    # Exit on Shutdown, or when the host is gone.
    while not done.wait(0.25):
        if os.getppid() != parent:
            break
    server.stop(0)


if __name__ == "__main__":
    main()
