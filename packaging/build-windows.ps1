# Build paperprep's Windows installer: the bundle (PyInstaller), its self-test, then the installer (Inno Setup).
# Run from the repository's root in PowerShell:  powershell -ExecutionPolicy Bypass -File packaging\build-windows.ps1
# Needs Python 3.11 (the py launcher) and Inno Setup 6 (iscc.exe on PATH or in its usual folder); docs/packaging.md.
$ErrorActionPreference = "Stop"
Set-Location (Split-Path -Parent $PSScriptRoot)

if (-not (Test-Path .venv\Scripts\python.exe)) { py -3.11 -m venv .venv }
$python = ".venv\Scripts\python.exe"
& $python -m pip install --quiet --upgrade pip
& $python -m pip install --quiet -r requirements.lock -r packaging\requirements-build.txt
& $python -m pip install --quiet --no-deps -e .
if ($LASTEXITCODE -ne 0) { throw "Installing the Python packages failed." }

$version = (& $python -c "import paperprep; print(paperprep.__version__)").Trim()
Remove-Item -Recurse -Force build\bundle, build\pyinstaller -ErrorAction SilentlyContinue
& .venv\Scripts\pyinstaller.exe --noconfirm --clean --log-level WARN `
    --distpath build\bundle --workpath build\pyinstaller packaging\paperprep.spec
if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed." }

$cli = "build\bundle\paperprep\paperprep-cli.exe"
$said = (& $cli --version).Trim()
if ($said -ne "paperprep $version") { throw "The bundle says '$said', the package 'paperprep $version'." }
& $cli --self-test
if ($LASTEXITCODE -ne 0) { throw "The bundle's self-test failed." }
& $python packaging\bundle_contents.py build\bundle\paperprep
if ($LASTEXITCODE -ne 0) { throw "The bundle holds a test or development package." }

$iscc = (Get-Command iscc.exe -ErrorAction SilentlyContinue).Source
if (-not $iscc) { $iscc = Join-Path ${env:ProgramFiles(x86)} "Inno Setup 6\ISCC.exe" }
if (-not (Test-Path $iscc)) { $iscc = Join-Path $env:LOCALAPPDATA "Programs\Inno Setup 6\ISCC.exe" }
if (-not (Test-Path $iscc)) { throw "Inno Setup 6 was not found: install it from jrsoftware.org, then run this again." }
& $iscc "/DMyAppVersion=$version" packaging\paperprep.iss
if ($LASTEXITCODE -ne 0) { throw "Inno Setup failed." }
Write-Host "Installer written: build\installer\paperprep-$version-setup.exe"
