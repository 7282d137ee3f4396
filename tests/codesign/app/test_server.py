"""``pfm-codesign app`` owns its Streamlit server: stopping the command stops the server."""
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_stopping_the_app_command_stops_its_server(stop):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = subprocess.Popen([sys.executable, "-m", "codesign", "app", "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 90
        while not healthy(url):
            assert time.monotonic() < deadline, "the app did not start within 90 s"
            assert process.poll() is None, "the app command exited"
            time.sleep(0.3)
        process.send_signal(stop)
        assert process.wait(timeout=30) in (0, -stop)
        deadline = time.monotonic() + 15
        while healthy(url) and time.monotonic() < deadline:
            time.sleep(0.3)
        assert not healthy(url), "the Streamlit server outlived the app command"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
