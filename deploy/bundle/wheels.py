"""The wheels of the pinned requirements for each target platform, from the package index via pip download.

pip evaluates environment markers (``colorama; platform_system == "Windows"``) for the machine it runs on, not
for the target, so a Windows download made on Linux misses Windows-only dependencies. After each download the
wheels' own metadata is read with the target's environment and whatever is still missing is downloaded too,
until nothing is: ``missing`` is the same check, used by the tests on a finished bundle.
"""
from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

from packaging import tags
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name, parse_wheel_filename
from packaging.version import Version

PYTHON_VERSION = "3.11"
# Target platform tag → the environment its markers are evaluated in. manylinux_2_28 takes the older manylinux
# wheels too (pip is given every tag down to manylinux1: it does not expand them for py3-none wheels): glibc 2.28
# or newer (Debian 10, RHEL 8, Ubuntu 18.10 on).
PLATFORMS = {
    "win_amd64": {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt", "platform_machine": "AMD64"},
    "manylinux_2_28_x86_64": {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix",
                              "platform_machine": "x86_64"},
}
DEFAULT_PLATFORMS = tuple(PLATFORMS)
_PROGRESS = re.compile(r"^(Collecting|Downloading|Saved|File was already downloaded|Successfully downloaded)")


def environment(platform: str) -> dict[str, str]:
    env = {**default_environment(), **PLATFORMS[platform]}
    return env | {"python_version": PYTHON_VERSION, "python_full_version": PYTHON_VERSION + ".0",
                  "implementation_name": "cpython", "platform_python_implementation": "CPython"}


def download(requirements: list[str], platform: str, folder: Path, say=print) -> None:
    """pip download of binary wheels only, for ``platform`` and CPython 3.11, into ``folder`` (kept as a cache:
    files already there are not fetched again). pip's progress lines are passed on."""
    folder.mkdir(parents=True, exist_ok=True)
    platforms = [flag for tag in _platform_tags(platform) for flag in ("--platform", tag)]
    command = [sys.executable, "-m", "pip", "download", "--only-binary=:all:", *platforms,
               "--python-version", PYTHON_VERSION, "--implementation", "cp", "--disable-pip-version-check",
               "--progress-bar", "off", "-d", str(folder), *requirements]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    tail = []
    for line in process.stdout:
        line = line.rstrip()
        tail = (tail + [line])[-20:]
        if _PROGRESS.match(line.strip()):
            say(f"  [{platform}] {line.strip()}")
    if process.wait() != 0:
        raise RuntimeError(f"pip download for {platform} failed:\n" + "\n".join(tail))


def _platform_tags(platform: str) -> list[str]:
    if platform == "win_amd64":
        return ["win_amd64"]
    arch = platform.rsplit("_", 2)[-2] + "_" + platform.rsplit("_", 1)[-1]     # x86_64
    newest = int(platform.split("_")[2])                                        # manylinux_2_28 → 28
    return ([f"manylinux_2_{minor}_{arch}" for minor in range(newest, 4, -1)]
            + [f"manylinux2014_{arch}", f"manylinux2010_{arch}", f"manylinux1_{arch}"])


def supported_tags(platform: str) -> set[tags.Tag]:
    """Every wheel tag CPython 3.11 accepts on ``platform`` (packaging's own tag order, as pip uses)."""
    version = tuple(int(p) for p in PYTHON_VERSION.split("."))
    platforms = _platform_tags(platform)
    return set(tags.cpython_tags(version, platforms=platforms)) | set(
        tags.compatible_tags(version, interpreter=f"cp{version[0]}{version[1]}", platforms=platforms))


def compatible(wheel: Path, platform: str) -> bool:
    """Whether a wheel installs on ``platform`` with CPython 3.11."""
    return bool(parse_wheel_filename(wheel.name)[3] & supported_tags(platform))


def requires(wheel: Path) -> list[Requirement]:
    with zipfile.ZipFile(wheel) as archive:
        meta = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        message = Parser().parsestr(archive.read(meta).decode("utf-8"))
    return [Requirement(line) for line in message.get_all("Requires-Dist") or []]


def missing(folder: Path, requirements: list[str], platform: str) -> list[str]:
    """Requirements (top-level and of every wheel, markers evaluated for ``platform``) that no wheel in ``folder``
    compatible with ``platform`` satisfies."""
    env = environment(platform)
    wheels = [w for w in folder.glob("*.whl") if compatible(w, platform)]
    have = {}
    for wheel in wheels:
        name, version, *_ = parse_wheel_filename(wheel.name)
        have.setdefault(name, []).append((version, wheel))
    wanted = [Requirement(r) for r in requirements]
    for versions in have.values():
        for _version, wheel in versions:
            wanted += [r for r in requires(wheel) if r.marker is None or r.marker.evaluate(env | {"extra": ""})]
    gaps = set()
    for requirement in wanted:
        if requirement.marker is not None and not requirement.marker.evaluate(env | {"extra": ""}):
            continue
        found = have.get(canonicalize_name(requirement.name), [])
        if not any(requirement.specifier.contains(Version(str(v)), prereleases=True) for v, _ in found):
            gaps.add(str(requirement).split(";")[0].strip())
    return sorted(gaps)


def download_complete(requirements: list[str], platform: str, folder: Path, say=print, rounds: int = 5) -> None:
    """Download until every dependency for ``platform`` is there (see the module's note on markers). A cache that
    already holds them all is used as it is: the pins are exact, so asking the index again could add nothing (and
    a bundle can then be rebuilt with no network)."""
    if not missing(folder, requirements, platform):
        say(f"  [{platform}] every wheel is already in {folder}: nothing to download")
        return
    wanted = list(requirements)
    for _ in range(rounds):
        download(wanted, platform, folder, say)
        gaps = missing(folder, requirements, platform)
        if not gaps:
            return
        say(f"  [{platform}] dependencies pip skipped on this machine (markers for {platform}): {', '.join(gaps)}")
        wanted = gaps
    raise RuntimeError(f"still missing for {platform} after {rounds} rounds: {', '.join(gaps)}")
