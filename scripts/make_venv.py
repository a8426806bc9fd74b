"""Create the project's virtual environment, even where Debian left out ensurepip.

Debian's ``python3`` lacks ``ensurepip`` unless ``python3-venv`` is installed, so
``python3 -m venv`` fails there. Then the environment is made without pip and pip is
installed from its own wheel, fetched from PyPI (a wheel is a zip that Python can run).
Usage: python3 scripts/make_venv.py .venv
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
import venv
from pathlib import Path

PYPI_PIP = "https://pypi.org/pypi/pip/json"


def _pip_wheel(folder: Path) -> Path:
    with urllib.request.urlopen(PYPI_PIP, timeout=60) as response:
        release = json.load(response)
    url = next(f["url"] for f in release["urls"] if f["filename"].endswith("-py3-none-any.whl"))
    url = urllib.parse.urljoin(PYPI_PIP, url)  # mirrors may answer with relative links
    wheel = folder / url.rsplit("/", 1)[1]
    with urllib.request.urlopen(url, timeout=120) as response:
        wheel.write_bytes(response.read())
    return wheel


def main(target: str) -> int:
    env = Path(target)
    python = env / "bin" / "python"
    try:
        venv.EnvBuilder(with_pip=True, clear=True).create(env)
    except (subprocess.CalledProcessError, OSError) as error:
        print(f"make_venv: no ensurepip here ({error}); installing pip from its wheel", file=sys.stderr)
        venv.EnvBuilder(with_pip=False, clear=True).create(env)
    if subprocess.run([python, "-m", "pip", "--version"], capture_output=True).returncode != 0:
        with tempfile.TemporaryDirectory() as folder:
            wheel = _pip_wheel(Path(folder))
            subprocess.run([python, f"{wheel}/pip", "install", "--quiet", str(wheel)], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else ".venv"))
