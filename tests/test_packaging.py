"""A non-editable install (`pip install .`) carries its templates, static files, migrations and HTMX."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from actiontrack.settings import PROJECT_ROOT

from conftest import POSTGRES_URL, SECRET, free_port

# The wheel is the same whatever the engine: built, installed and served once, on the SQLite pass.
if POSTGRES_URL is None:

    def test_an_installed_wheel_migrates_loads_the_demo_and_serves_pages_away_from_the_checkout(
        tmp_path: Path,
    ) -> None:
        site = tmp_path / "site"
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                        "--no-deps", "--target", str(site), str(PROJECT_ROOT)], check=True, timeout=300)
        assert not list(site.glob("actiontrack/bundled/vendor/htmx.org/dist/*.js.gz"))  # only what pages load
        work = tmp_path / "work"  # no templates/, migrations/ or node_modules/ here
        work.mkdir()
        env = {**os.environ, "PYTHONPATH": str(site), "DATABASE_URL": f"sqlite:///{work / 'app.db'}",
               "ACTIONTRACK_SECRET_KEY": SECRET, "ACTIONTRACK_COOKIE_SECURE": "false"}

        def cli(*args: str) -> str:
            done = subprocess.run([sys.executable, "-m", "actiontrack.cli", *args], env=env, cwd=work,
                                  capture_output=True, text=True, timeout=120)
            assert done.returncode == 0, done.stderr
            return done.stdout

        imported = subprocess.run([sys.executable, "-c", "import actiontrack.settings as s; print(s.RESOURCES)"],
                                  env=env, cwd=work, capture_output=True, text=True, check=True).stdout.strip()
        assert imported == str(site / "actiontrack" / "bundled")
        assert "upgraded" in cli("db", "upgrade")
        cli("demo")
        port = free_port()
        server = subprocess.Popen([sys.executable, "-m", "actiontrack.cli", "serve", "--host", "127.0.0.1",
                                   "--port", str(port)], env=env, cwd=work, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 30
            while True:
                try:
                    if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                assert server.poll() is None and time.monotonic() < deadline, "the installed app did not start"
                time.sleep(0.2)
            changes = httpx.get(f"{base}/changes?lang=nl")
            assert changes.status_code == 200 and '<html lang="nl"' in changes.text
            assert "/vendor/htmx/htmx.min.js" in changes.text
            assert "htmx" in httpx.get(f"{base}/vendor/htmx/htmx.min.js").text[:2000]
            assert httpx.get(f"{base}/static/app.css").status_code == 200
            assert httpx.get(f"{base}/login").status_code == 200
        finally:
            server.terminate()
            server.wait(timeout=10)
