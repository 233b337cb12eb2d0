"""The bundled app, built as CI and a new user build it (scripts/build-bundle), then run with no Python
environment: --version, --self-test, its size, and a listing of what is inside (docs/packaging.md).

The build takes about a minute on two cores; a bundle newer than every source file and the spec is reused
(scripts/build-bundle --check), so running this test twice builds once.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import zipfile
from pathlib import Path

import pytest

import paperprep

pytestmark = [pytest.mark.slow, pytest.mark.bundle]

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "build" / "bundle" / "paperprep"
EXECUTABLE = BUNDLE / "paperprep"
LIMIT = 250 * 1024 * 1024
DEVELOPMENT = {
    "pytest", "_pytest", "pytestqt", "pytest_cov", "hypothesis", "mypy", "mypyc", "ruff", "coverage",
    "importlinter", "grimp", "PyInstaller", "setuptools", "pip", "pygments", "tkinter", "_tkinter",
}  # fmt: skip


def _newest_source() -> float:
    sources = [ROOT / "packaging" / "paperprep.spec", ROOT / "packaging" / "requirements-build.txt"]
    sources += [
        p for p in (ROOT / "src" / "paperprep").rglob("*") if p.is_file() and "__pycache__" not in p.parts
    ]
    return max(p.stat().st_mtime for p in sources)


@pytest.fixture(scope="module")
def bundle() -> Path:
    fresh = EXECUTABLE.is_file() and EXECUTABLE.stat().st_mtime > _newest_source()
    command = [str(ROOT / "scripts" / "build-bundle")] + (["--check"] if fresh else [])
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=1200, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "self-test passed" in done.stdout
    assert "bundle size:" in done.stdout
    return BUNDLE


def _clean_run(*args: str) -> subprocess.CompletedProcess[str]:
    """The bundle as a machine with no Python runs it: an empty environment, a new home, no display."""
    with tempfile.TemporaryDirectory(prefix="paperprep-bundle-home-") as home:
        env = {"PATH": "/usr/bin:/bin", "HOME": home, "QT_QPA_PLATFORM": "offscreen"}
        return subprocess.run(
            [str(EXECUTABLE), *args], env=env, capture_output=True, text=True, timeout=300, check=False
        )


def test_version_is_the_packages(bundle: Path) -> None:
    done = _clean_run("--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"paperprep {paperprep.__version__}"


def test_self_test_passes_with_no_python_environment(bundle: Path) -> None:
    done = _clean_run("--self-test")
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith(f"self-test: paperprep {paperprep.__version__}, Python ")
    assert any(line.startswith("self-test: demo data loaded: 3 committees") for line in lines)
    assert any(line.startswith("self-test: minutes read back:") for line in lines)
    assert any(line.startswith("self-test: action log read back:") for line in lines)
    assert lines[-1] == "self-test passed"


def test_smaller_than_250_mb(bundle: Path) -> None:
    size = sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file() and not p.is_symlink())
    assert 20 * 1024 * 1024 < size < LIMIT, f"{size / 1024 / 1024:.0f} MB"


def _listing(bundle: Path) -> set[str]:
    """The top-level names of every module in the executable's archives, base_library.zip and _internal/."""
    from PyInstaller.archive.readers import CArchiveReader

    names: set[str] = set()
    package = CArchiveReader(str(bundle / "paperprep"))
    for entry in package.toc:
        if entry.endswith(".pyz"):
            names |= {name.split(".")[0] for name in package.open_embedded_archive(entry).toc}
    with zipfile.ZipFile(bundle / "_internal" / "base_library.zip") as base:
        names |= {Path(n).parts[0].split(".")[0] for n in base.namelist()}
    names |= {p.name.split(".")[0].split("-")[0] for p in (bundle / "_internal").iterdir() if p.is_dir()}
    return names


def test_no_test_or_development_package_inside(bundle: Path) -> None:
    names = _listing(bundle)
    # The listing is real: the app and what it runs on are in it.
    assert {"paperprep", "PySide6", "sqlalchemy", "alembic", "docx", "openpyxl", "encodings"} <= names
    assert sorted(names & DEVELOPMENT) == []


def test_resources_migrations_and_only_the_qt_plugins_used(bundle: Path) -> None:
    internal = bundle / "_internal"
    package = internal / "paperprep"
    for name in (
        "template.docx",
        "dictionaries/en_GB.dic",
        "dictionaries/en_GB-LICENSE.txt",
        "icons/paperprep.svg",
    ):
        assert (package / "resources" / name).is_file(), name
    migrations = {p.name for p in (package / "db" / "migrations" / "versions").glob("*.py")}
    source = {p.name for p in (ROOT / "src" / "paperprep" / "db" / "migrations" / "versions").glob("*.py")}
    assert migrations == source
    plugins = internal / "PySide6" / "Qt" / "plugins"
    platforms = {p.name for p in (plugins / "platforms").iterdir()}
    assert {"libqxcb.so", "libqoffscreen.so"} <= platforms
    assert "libqwayland.so" not in platforms and "libqvnc.so" not in platforms
    qt = {p.name.split(".")[0] for p in (internal / "PySide6" / "Qt" / "lib").iterdir()}
    assert not {n for n in qt if any(k in n for k in ("Qml", "Quick", "WebEngine", "3D", "Multimedia"))}
    assert [p.name for p in internal.rglob("_tkinter*")] == []
    assert os.access(bundle / "paperprep", os.X_OK)
