"""Vendor the web UI's front-end libraries at build time.

``pip install`` (editable or not) runs this hatchling build hook: it installs the npm packages pinned in
``package.json`` / ``package-lock.json`` (``npm ci --ignore-scripts``, from the npm registry) and copies the few
files ``dossier serve`` needs, with each package's licence, into ``src/dossier/web/static/vendor/``. Nothing is
loaded from a CDN at run time. ``python hatch_build.py`` does the same by hand.

Without npm the build goes on with a warning: the pages work, the relationship graph and ``/docs`` do not.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

# package -> files to copy (relative to node_modules/<package>/); the licence files are copied as well
VENDORED = {
    "cytoscape": ["dist/cytoscape.min.js"],
    "swagger-ui-dist": ["swagger-ui-bundle.js", "swagger-ui.css"],
}
LICENCE_FILES = ("LICENSE", "LICENSE.md", "LICENCE", "NOTICE")
TARGET = Path("src/dossier/web/static/vendor")


def vendor(root: Path) -> str:
    """Copy the vendored files into place (a no-op when the lock file has not changed); returns what it did."""
    lock = root / "package-lock.json"
    target = root / TARGET
    stamp = target / "manifest.json"
    digest = hashlib.sha256(lock.read_bytes()).hexdigest()
    in_place = all((target / pkg / Path(f).name).exists() for pkg, files in VENDORED.items() for f in files)
    if in_place and stamp.exists() and json.loads(stamp.read_text()).get("lock_sha256") == digest:
        return "front-end libraries already vendored"
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is not installed: the relationship graph and /docs need it at build time")
    modules = root / "node_modules"
    subprocess.run(
        [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=root,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    packages: dict[str, Any] = {}
    for pkg, files in VENDORED.items():
        source = modules / pkg
        meta = json.loads((source / "package.json").read_text())
        dest = target / pkg
        if dest.exists():
            shutil.rmtree(dest)
        dest.mkdir(parents=True)
        for name in files:
            shutil.copy2(source / name, dest / Path(name).name)
        licences = [name for name in LICENCE_FILES if (source / name).exists()]
        if not licences:
            raise RuntimeError(f"{pkg} ships no licence file: it cannot be vendored")
        for name in licences:
            shutil.copy2(source / name, dest / name)
        packages[pkg] = {"version": meta["version"], "license": meta.get("license"), "files": files + licences}
    stamp.write_text(json.dumps({"lock_sha256": digest, "packages": packages}, indent=2) + "\n")
    return "vendored " + ", ".join(f"{p} {m['version']}" for p, m in packages.items())


try:
    from hatchling.builders.hooks.plugin.interface import BuildHookInterface
except ImportError:  # run by hand, outside a build
    BuildHookInterface = object  # type: ignore[misc,assignment]


class VendorHook(BuildHookInterface):  # type: ignore[misc,valid-type]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        try:
            print(f"dossier: {vendor(Path(self.root))}", file=sys.stderr)
        except (OSError, RuntimeError, subprocess.CalledProcessError) as exc:
            print(f"dossier: warning: front-end libraries not vendored ({exc})", file=sys.stderr)


if __name__ == "__main__":
    print(vendor(Path(__file__).resolve().parent))
