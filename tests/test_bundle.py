"""The intranet install bundle (python -m deploy.bundle): what it holds, wheels complete for each platform with
the markers of that platform, start scripts that never reach an index; and, slow, a Linux bundle unpacked and
started with start.sh inside a network namespace that has no network at all, answering on its loopback.

The wheels are cached in .bundle-cache/ (git-ignored), so a rerun downloads nothing."""
from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from deploy.bundle import wheels
from deploy.bundle.make import ROOT, TOP, make, requirements

LINUX = "manylinux_2_28_x86_64"
CACHE = ROOT / ".bundle-cache"
PORT = 8670
START_TIMEOUT_S = 900   # the first start installs ~50 wheels; on a busy 2-core machine that takes minutes


# --- wheels and markers (fast) ------------------------------------------------------------------------------------

def fake_wheel(folder: Path, filename: str, requires: list[str] = ()) -> Path:
    name, version = filename.split("-")[:2]
    path = folder / filename
    with zipfile.ZipFile(path, "w") as archive:
        meta = ["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}", *(f"Requires-Dist: {r}" for r in requires)]
        archive.writestr(f"{name}-{version}.dist-info/METADATA", "\n".join(meta) + "\n")
    return path


@pytest.mark.parametrize("filename, windows, linux", [
    ("pyarrow-26.0.1-cp311-cp311-manylinux_2_28_x86_64.whl", False, True),
    ("pyarrow-26.0.1-cp311-cp311-win_amd64.whl", True, False),
    ("numpy-2.3.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", False, True),
    ("watchdog-6.0.0-py3-none-manylinux2014_x86_64.whl", False, True),
    ("six-1.17.0-py2.py3-none-any.whl", True, True),
    ("pydantic_core-2.0-cp39-abi3-win_amd64.whl", True, False),
    ("numpy-2.3.0-cp312-cp312-win_amd64.whl", False, False),          # another Python
    ("pyarrow-26.0.1-cp311-cp311-manylinux_2_34_x86_64.whl", False, False),   # needs a newer glibc than promised
    ("pyarrow-26.0.1-cp311-cp311-manylinux_2_28_aarch64.whl", False, False),
    ("watchdog-6.0.0-py3-none-macosx_11_0_arm64.whl", False, False),
])
def test_wheels_are_chosen_for_the_target_platform(filename, windows, linux):
    assert wheels.compatible(Path(filename), "win_amd64") is windows
    assert wheels.compatible(Path(filename), LINUX) is linux


def test_windows_only_dependencies_are_found_though_pip_runs_on_linux(tmp_path):
    fake_wheel(tmp_path, "click-8.3.0-py3-none-any.whl", ['colorama; platform_system == "Windows"'])
    fake_wheel(tmp_path, "app-1.0-py3-none-any.whl", ["click>=8", 'uvloop; sys_platform != "win32"',
                                                     'pytest; extra == "test"'])
    assert wheels.missing(tmp_path, ["app==1.0"], "win_amd64") == ["colorama"]
    assert wheels.missing(tmp_path, ["app==1.0"], LINUX) == ["uvloop"]
    fake_wheel(tmp_path, "colorama-0.4.6-py2.py3-none-any.whl")
    assert wheels.missing(tmp_path, ["app==1.0"], "win_amd64") == []
    assert wheels.missing(tmp_path, ["app==2.0"], "win_amd64") == ["app==2.0"]   # the pin itself


def test_start_scripts_install_only_from_the_bundle_and_listen_on_localhost():
    sh = (ROOT / "deploy/bundle/start.sh").read_text(encoding="utf-8")
    bat = (ROOT / "deploy/bundle/start.bat").read_bytes().decode("ascii")
    assert subprocess.run(["sh", "-n", str(ROOT / "deploy/bundle/start.sh")], check=False).returncode == 0
    assert "\r\n" in bat and bat.count("\n") == bat.count("\r\n"), "start.bat needs CRLF line ends"
    for script in (sh, bat):
        assert "--no-index --find-links wheels" in script and "PIP_CONFIG_FILE=" in script
        assert "--server.address=127.0.0.1" in script and "--browser.gatherUsageStats=false" in script
        assert "3, 11" in script   # the one Python version the wheels are for


# --- the bundle (slow: downloads ~140 MB once, then uses the cache) ---------------------------------------------

@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bundle") / "dashboard.zip"
    make(out, [LINUX], CACHE, say=lambda line: print(line, flush=True))
    return out


@pytest.fixture(scope="module")
def unpacked(bundle, tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("unpacked")
    with zipfile.ZipFile(bundle) as archive:
        for info in archive.infolist():
            path = Path(archive.extract(info, target))
            mode = (info.external_attr >> 16) & 0o777
            if mode:
                path.chmod(mode)   # as unzip does: start.sh stays executable
    return target / TOP


@pytest.mark.slow
def test_bundle_holds_the_app_the_data_and_the_wheels(bundle, unpacked):
    names = zipfile.ZipFile(bundle).namelist()
    assert all(n.startswith(f"{TOP}/") for n in names)
    manifest = json.loads((unpacked / "data/manifest.json").read_text(encoding="utf-8"))
    for rel in ("dashboard.py", "start.sh", "start.bat", "README-OFFLINE.txt", "requirements.txt",
                ".streamlit/config.toml", *(f"data/{o}" for o in manifest["outputs"])):
        assert (unpacked / rel).is_file(), rel
    assert not [n for n in names if any(part in n for part in ("/tests/", "/bench/", "secrets.toml", ".bundle-cache",
                                                               "__pycache__", "/data/corpus/"))]
    assert os.stat(unpacked / "start.sh").st_mode & stat.S_IXUSR
    assert wheels.missing(unpacked / "wheels", requirements(), LINUX) == []
    assert not [w.name for w in (unpacked / "wheels").glob("*.whl") if not wheels.compatible(w, LINUX)]


NETNS_CHECK = """
import socket, sys, time, urllib.request
try:
    socket.create_connection(("1.1.1.1", 443), timeout=3)
    sys.exit("the namespace reaches the network")
except OSError:
    pass
deadline = time.monotonic() + float(sys.argv[2])
while True:
    try:
        health = urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/_stcore/health", timeout=5).read().decode()
        break
    except OSError:
        if time.monotonic() > deadline:
            sys.exit("no answer on the loopback")
        time.sleep(1)
page = urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/", timeout=10).read().decode()
print(health, page.count("<div id=\\"root\\">"), page.count("<script"))
"""


def _require_netns() -> None:
    if os.geteuid() == 0 and shutil.which("ip"):
        return
    message = "network namespaces need root and iproute2's `ip` (apt-get install -y iproute2)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.mark.slow
@pytest.mark.timeout(START_TIMEOUT_S + 300)
def test_start_sh_installs_and_serves_with_no_network(unpacked, tmp_path):
    _require_netns()
    namespace = f"bundle{os.getpid()}"
    subprocess.run(["ip", "netns", "add", namespace], check=True)
    log = tmp_path / "start.log"
    server = None
    try:
        subprocess.run(["ip", "netns", "exec", namespace, "ip", "link", "set", "lo", "up"], check=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "STREAMLIT_", "VIRTUAL_ENV"))}
        with open(log, "wb") as out:
            server = subprocess.Popen(["ip", "netns", "exec", namespace, "env", f"PORT={PORT}", "sh", "start.sh"],
                                      cwd=unpacked, env=env, stdout=out, stderr=subprocess.STDOUT,
                                      start_new_session=True)
        started = time.monotonic()
        check = subprocess.run(["ip", "netns", "exec", namespace, sys.executable, "-c", NETNS_CHECK, str(PORT),
                                str(START_TIMEOUT_S)], capture_output=True, text=True, timeout=START_TIMEOUT_S + 60, check=False)
        print(f"install and start inside the namespace: {time.monotonic() - started:.0f} s")
        assert check.returncode == 0, check.stderr + check.stdout + "\n--- start.sh ---\n" + log.read_text()[-3000:]
        health, roots, scripts = check.stdout.split()
        assert health == "ok" and roots == "1" and int(scripts) >= 1
        assert (unpacked / ".venv/installed").exists()
        venv_site = subprocess.run([str(unpacked / ".venv/bin/python"), "-c", "import streamlit; print(streamlit.__file__)"],
                                   capture_output=True, text=True, check=True).stdout
        assert str(unpacked / ".venv") in venv_site   # the bundle's own packages, not this machine's
    finally:
        if server is not None and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
        subprocess.run(["ip", "netns", "del", namespace], check=False)
