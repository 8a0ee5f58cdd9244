"""Assemble the bundle: the app's files, the wheels, the start scripts and a short read-me, in one zip.

The zip is written beside the target and renamed into place, so a failed build never leaves half a bundle.
"""
from __future__ import annotations

import os
import subprocess
import time
import zipfile
from pathlib import Path

from . import wheels

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
TOP = "dashboard"   # the folder the zip unpacks to
# What the app needs to run: nothing of tests/, bench/ or the development corpus; never .streamlit/secrets.toml.
APP_FILES = ("dashboard.py", "requirements.txt", "README.md", ".streamlit/config.toml", ".streamlit/hosted.toml")
APP_FOLDERS = ("pages/", "ui/", "metrics/", "data/", "deploy/")
LEFT_OUT = ("data/corpus/", "deploy/bundle/start.")
SCRIPTS = {"start.sh": 0o755, "start.bat": 0o644}
README = """Local fiscal-financial practice dashboard - offline install bundle
=================================================================

Needs: CPython {python} (64-bit) on Windows (x64) or Linux (x86_64, glibc 2.28 or newer). Python itself is not
in the bundle. No network is needed: the packages are installed from ./wheels.

Windows:  double-click start.bat   (or run it in a terminal)
Linux:    sh start.sh

The first start makes a virtual environment in .venv and installs the bundled wheels (a minute or two); later
starts only start the app. It listens on http://localhost:8501 (set PORT to change it) and only on this
machine (127.0.0.1). Set PYTHON to the path of python 3.11 if it is not found. Delete .venv to reinstall.

Built {built} for platforms: {platforms}.
"""


def app_files(root: Path = ROOT) -> list[str]:
    """The committed files of the app (git ls-files), or, outside a git checkout, the same folders walked."""
    try:
        listed = subprocess.run(["git", "ls-files", "-z"], cwd=root, capture_output=True, check=True).stdout
        names = [n for n in listed.decode("utf-8").split("\0") if n]
    except (OSError, subprocess.CalledProcessError):
        names = [p.relative_to(root).as_posix() for folder in APP_FOLDERS for p in (root / folder).rglob("*")
                 if p.is_file() and "__pycache__" not in p.parts] + [n for n in APP_FILES if (root / n).exists()]
    keep = [n for n in names if (n in APP_FILES or n.startswith(APP_FOLDERS)) and not n.startswith(LEFT_OUT)]
    return sorted(n for n in keep if (root / n).is_file())


def requirements(root: Path = ROOT) -> list[str]:
    lines = (line.split("#")[0].strip() for line in (root / "requirements.txt").read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("-")]


def _add(archive: zipfile.ZipFile, name: str, data: bytes, mode: int = 0o644) -> None:
    info = zipfile.ZipInfo(f"{TOP}/{name}", date_time=time.localtime()[:6])
    info.external_attr = (0o100000 | mode) << 16     # a regular file with its permissions (unzip keeps them)
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, data)


def make(out: Path, platforms: list[str], cache: Path, say=print) -> dict:
    """Build the bundle; returns what is in it (files, wheels per platform, bytes)."""
    pins = requirements()
    found = {}
    for platform in platforms:
        say(f"Wheels for {platform}, CPython {wheels.PYTHON_VERSION} ({len(pins)} pinned requirements and their "
            f"dependencies; about 100 MB the first time, cached in {cache}):")
        wheels.download_complete(pins, platform, cache / platform, say)
        found[platform] = sorted(w for w in (cache / platform).glob("*.whl") if wheels.compatible(w, platform)
                                 and w.name in {x.name for x in _needed(cache / platform, pins, platform)})
    bundled = {w.name: w for ws in found.values() for w in ws}
    files = app_files()
    partial = out.with_name(out.name + ".partial")
    say(f"Writing {out} ({len(files)} app files, {len(bundled)} wheels)...")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in files:
            _add(archive, name, (ROOT / name).read_bytes())
        for script, mode in SCRIPTS.items():
            _add(archive, script, (HERE / script).read_bytes(), mode)
        _add(archive, "README-OFFLINE.txt", README.format(
            python=wheels.PYTHON_VERSION, built=time.strftime("%Y-%m-%d"), platforms=", ".join(platforms)).encode())
        for name, wheel in sorted(bundled.items()):
            info = zipfile.ZipInfo(f"{TOP}/wheels/{name}", date_time=time.localtime()[:6])
            info.compress_type = zipfile.ZIP_STORED     # wheels are zips already
            info.external_attr = (0o100000 | 0o644) << 16
            with archive.open(info, "w") as target, wheel.open("rb") as source:
                while chunk := source.read(1 << 20):
                    target.write(chunk)
    os.replace(partial, out)
    return {"files": files, "wheels": {p: [w.name for w in ws] for p, ws in found.items()},
            "bytes": out.stat().st_size}


def _needed(folder: Path, pins: list[str], platform: str) -> list[Path]:
    """The wheels the pinned requirements need on ``platform``: the cache may hold older downloads too, so only
    the newest wheel of each project that satisfies what is asked is kept."""
    best: dict[str, tuple] = {}
    for wheel in folder.glob("*.whl"):
        if not wheels.compatible(wheel, platform):
            continue
        name, version, *_ = wheels.parse_wheel_filename(wheel.name)
        if name not in best or version > best[name][0]:
            best[name] = (version, wheel)
    return [wheel for _version, wheel in best.values()]
