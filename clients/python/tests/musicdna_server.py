"""Starts the real MusicDna server (the build from scripts/setup.sh) for the client tests. Test support only.

The server gets a temporary data directory and every endpoint on a free loopback port (port 0 for gRPC and for
metrics), so it never clashes with `scripts/run.sh` serving on its fixed ports.
"""
from __future__ import annotations

import collections
import http.client
import os
import queue
import re
import shutil
import subprocess
import tempfile
import threading
import time

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
SERVER = os.path.join(REPO, "src", "MusicDna.Server", "bin", "Release", "net10.0", "MusicDna.Server.dll")
STOP_TIMEOUT_S = 30


class RunningServer:
    """One server process; `address` is its gRPC endpoint, `metrics_address` its HTTP/1.1 one (host:port)."""

    def __init__(self, process: subprocess.Popen, data: str) -> None:
        self.process = process
        self.data = data
        self.address = ""
        self.metrics_address = ""
        self._lines: queue.Queue = queue.Queue()
        self._tail: collections.deque = collections.deque(maxlen=40)
        # One reader for the server's whole life: it drains the pipe so the server never blocks on a full one.
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self._tail.append(line)
            self._lines.put(line)
        self._lines.put(None)

    def output(self) -> str:
        return "".join(self._tail)

    def wait_until_started(self, timeout_s: float) -> None:
        """Collects the addresses Kestrel reports until the host says it has started, then tells them apart."""
        deadline = time.monotonic() + timeout_s
        addresses = []
        while True:
            try:
                line = self._lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise RuntimeError(f"the server did not start within {timeout_s} s:\n{self.output()}") from None
            if line is None:
                raise RuntimeError(f"the server exited with {self.process.wait()} before starting:\n{self.output()}")
            match = re.search(r"Now listening on: http://([\d.]+:\d+)", line)
            if match:
                addresses.append(match.group(1))
            if "Application started" in line:
                break
        # Both endpoints print the same line, so ask each: only the HTTP/1.1 metrics endpoint answers GET /metrics
        # (the gRPC endpoint speaks HTTP/2 only).
        metrics = [a for a in addresses if serves_metrics(a)]
        others = [a for a in addresses if a not in metrics]
        if len(metrics) != 1 or len(others) != 1:
            raise RuntimeError(f"expected one gRPC and one metrics endpoint, found {addresses}:\n{self.output()}")
        self.metrics_address, self.address = metrics[0], others[0]

    def stop(self) -> None:
        """SIGTERM, a bounded wait for the graceful shutdown, then SIGKILL; the data directory goes either way."""
        try:
            if self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(timeout=STOP_TIMEOUT_S)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
        finally:
            shutil.rmtree(self.data, ignore_errors=True)


def metrics_text(address: str, timeout_s: float = 5) -> tuple:
    """(status, body) of GET /metrics over HTTP/1.1 at host:port."""
    host, port = address.rsplit(":", 1)
    connection = http.client.HTTPConnection(host, int(port), timeout=timeout_s)
    try:
        connection.request("GET", "/metrics")
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def serves_metrics(address: str) -> bool:
    try:
        return metrics_text(address)[0] == 200
    except (OSError, http.client.HTTPException):
        return False


def start_server(timeout_s: float = 60) -> RunningServer:
    """A started server with authentication off, no bootstrap catalogue and no first training. Stop it with stop();
    if it fails to start, it is stopped before the error is raised."""
    data = tempfile.mkdtemp(prefix="musicdna-py-")
    process = subprocess.Popen(
        ["dotnet", SERVER, f"--MusicDna:DataDirectory={data}", "--MusicDna:Bootstrap:CatalogueCsv=",
         "--MusicDna:Bootstrap:TrainWhenNoModel=false", "--MusicDna:Auth:Mode=Disabled",
         "--Kestrel:Endpoints:Grpc:Url=http://127.0.0.1:0", "--Kestrel:Endpoints:Metrics:Url=http://127.0.0.1:0"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    server = RunningServer(process, data)
    try:
        server.wait_until_started(timeout_s)
    except BaseException:
        server.stop()
        raise
    return server
