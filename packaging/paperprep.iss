; Inno Setup script for paperprep on Windows: a per-user install (no administrator rights), a Start menu entry,
; and an uninstaller. It packs the one-folder bundle that PyInstaller builds; docs/packaging.md gives the steps.
;
;   iscc /DMyAppVersion=0.1.0 packaging\paperprep.iss
;
; The version comes from the package (paperprep.__version__); the build steps pass it in as MyAppVersion.

#ifndef MyAppVersion
  #error Pass the version from the package: iscc /DMyAppVersion=X.Y.Z packaging\paperprep.iss
#endif
#ifndef BundleDir
  #define BundleDir "..\build\bundle\paperprep"
#endif

#define MyAppName "paperprep"
#define MyAppPublisher "paperprep"
#define MyAppExeName "paperprep.exe"

[Setup]
; Keep this AppId for every release: it is how an upgrade finds the earlier install.
AppId={{7C1E5A0B-4D2F-4A8E-9C61-2B5F0D3E8A17}
AppName={#MyAppName}
AppVersion={#MyAppVersion}
AppVerName={#MyAppName} {#MyAppVersion}
AppPublisher={#MyAppPublisher}
VersionInfoVersion={#MyAppVersion}
; Per user: installs under %LOCALAPPDATA%\Programs, needs no administrator, and leaves the clerk's data
; (%LOCALAPPDATA%\paperprep) alone on uninstall.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
DefaultDirName={autopf}\{#MyAppName}
DefaultGroupName={#MyAppName}
DisableProgramGroupPage=yes
OutputDir=..\build\installer
OutputBaseFilename=paperprep-{#MyAppVersion}-setup
SetupIconFile=..\src\paperprep\resources\icons\paperprep.ico
UninstallDisplayIcon={app}\{#MyAppExeName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#MyAppName}"; Filename: "{app}\{#MyAppExeName}"
Name: "{group}\{cm:UninstallProgram,{#MyAppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#MyAppName}"; Filename: "{app}\{#MyAppExeName}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#MyAppExeName}"; Description: "{cm:LaunchProgram,{#MyAppName}}"; Flags: nowait postinstall skipifsilent
