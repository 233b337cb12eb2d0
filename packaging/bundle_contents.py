"""List the top-level Python packages and modules inside a built bundle, and say which of them are test or
development tools that must not ship: `.venv/bin/python packaging/bundle_contents.py build/bundle/paperprep`.

PyInstaller keeps pure-Python modules in an archive inside the executable (PYZ.pyz), the standard library's
core in _internal/base_library.zip, and extension modules and data as folders under _internal/; all three
are read.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

FORBIDDEN = {
    "pytest", "_pytest", "pytestqt", "pytest_cov", "hypothesis", "mypy", "mypyc", "ruff", "coverage",
    "importlinter", "grimp", "PyInstaller", "setuptools", "pip", "wheel", "pygments", "rich", "doctest",
    "IPython", "tkinter", "_tkinter",
}  # fmt: skip


def executable(bundle: Path) -> Path:
    for name in ("paperprep", "paperprep.exe"):
        if (bundle / name).is_file():
            return bundle / name
    raise FileNotFoundError(f"{bundle} holds no paperprep executable.")


def top_level_names(bundle: Path) -> set[str]:
    """The first part of every module name in the bundle, and every folder under _internal/."""
    from PyInstaller.archive.readers import CArchiveReader

    names: set[str] = set()
    package = CArchiveReader(str(executable(bundle)))
    for entry in package.toc:
        if entry.endswith(".pyz"):
            names |= {name.split(".")[0] for name in package.open_embedded_archive(entry).toc}
        else:
            names.add(entry.split(".")[0])
    internal = bundle / "_internal"
    base = internal / "base_library.zip"
    if base.is_file():
        with zipfile.ZipFile(base) as archive:
            names |= {Path(n).parts[0].split(".")[0] for n in archive.namelist()}
    names |= {p.name.split(".")[0].split("-")[0] for p in internal.iterdir() if p.is_dir()}
    return names


def main(argv: list[str]) -> int:
    bundle = Path(argv[1]) if len(argv) > 1 else Path("build/bundle/paperprep")
    names = top_level_names(bundle)
    bad = sorted(names & FORBIDDEN)
    if bad:
        print(f"Test or development packages are in the bundle: {', '.join(bad)}.", file=sys.stderr)
        return 1
    print(f"{len(names)} top-level packages and modules, none of them a test or development tool")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
