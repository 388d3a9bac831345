"""Build step: a wheel carries the templates, static files, migrations and pinned HTMX with the code.

In a checkout (and an editable install) they are read from the top-level folders; an installed
wheel has no checkout beside it, so the build copies them into `actiontrack/bundled/`.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
BUNDLED = {  # folder in the checkout -> folder in the package
    "templates": "templates",
    "static": "static",
    "migrations": "migrations",
}
HTMX = "node_modules/htmx.org/dist/htmx.min.js"  # the one file of the npm package the pages load


class BuildWithResources(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        target = Path(self.build_lib) / "actiontrack" / "bundled"
        shutil.rmtree(target, ignore_errors=True)  # a reused build folder must not keep removed files
        for source, destination in BUNDLED.items():
            if not (ROOT / source).is_dir():
                raise SystemExit(f"build: {source}/ is missing")
            shutil.copytree(ROOT / source, target / destination, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        if not (ROOT / HTMX).is_file():
            raise SystemExit(f"build: {HTMX} is missing (scripts/setup installs it with npm ci)")
        (target / "vendor" / "htmx.org" / "dist").mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / HTMX, target / "vendor" / "htmx.org" / "dist" / "htmx.min.js")
        shutil.copy2(ROOT / "alembic.ini", target / "alembic.ini")


setup(cmdclass={"build_py": BuildWithResources})
