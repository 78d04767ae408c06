"""`make serve` (deploy/serve.sh): production settings, gunicorn and the task worker; /healthz answers 200."""

import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_starts_gunicorn_with_production_settings_and_healthz_answers(tmp_path):
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TAFEL_", "DJANGO_")) and key != "DATABASE_URL"
    }
    env.update(TAFEL_VAR_DIR=str(tmp_path), TAFEL_BIND=f"127.0.0.1:{port}", TAFEL_WORKERS="2")
    proc = subprocess.Popen(
        [str(ROOT / "deploy" / "serve.sh")],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        status, deadline = None, time.monotonic() + 90
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    status = response.status
                    break
            except OSError:
                time.sleep(0.5)
        assert status == 200, proc.stdout.read().decode() if proc.poll() is not None else "no answer in 90 s"
        # The keys were made once, readable by this user only, and are long enough for production.
        for name in ("secret_key", "field_encryption_key"):
            key_file = tmp_path / name
            assert key_file.stat().st_mode & 0o777 == 0o600
            assert len(key_file.read_text().strip()) >= 50
        assert (tmp_path / "static").is_dir()  # collectstatic ran
        processes = subprocess.run(
            ["ps", "-o", "args=", "-g", str(proc.pid)], capture_output=True, text=True, check=False
        ).stdout
        assert "gunicorn" in processes
        assert "manage.py worker" in processes
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    # Stopping the script stops gunicorn and the worker with it.
    time.sleep(1)
    leftover = subprocess.run(["ps", "-o", "pid=", "-g", str(proc.pid)], capture_output=True, text=True).stdout
    assert not leftover.strip()
