; Inno Setup script of the Windows installer: a per-user install (no administrator needed), a
; Start menu entry, .hpgjournal files opening in the app and "Open with" for CSV files.
;
; Build it with `python packaging\windows\make_installer.py` after packaging\build.py: that
; passes the app's name, id and version from hpgjournal\__init__.py and the folders as /D
; defines, so none of them is written twice. Unsigned: Windows SmartScreen warns on first run.
;
; The uninstaller removes what this installed and nothing else: the journals, backups and logs
; live in the data folder (%LOCALAPPDATA%\hpgjournal), which it leaves alone.

#ifndef AppVersion
  #error Build with packaging\windows\make_installer.py (it passes AppVersion and the rest)
#endif
#define ProgId AppName + ".journal"
#define CsvProgId AppName + ".csv"

[Setup]
AppId={#AppId}
AppName={#AppTitle}
AppVersion={#AppVersion}
VersionInfoVersion={#NumericVersion}
AppPublisher=hpgjournal developers
; {autopf} is %LOCALAPPDATA%\Programs for a per-user install, Program Files for all users
DefaultDirName={autopf}\{#AppTitle}
DefaultGroupName={#AppTitle}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Windows 10 1809, the oldest Windows that Qt 6 supports
MinVersion=10.0.17763
OutputDir={#OutputDir}
OutputBaseFilename={#OutputBase}
SetupIconFile={#IconFile}
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppTitle}
ChangesAssociations=yes
Compression=lzma2
SolidCompression=yes
WizardStyle=modern

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppTitle}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppTitle}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Registry]
; .hpgjournal: a journal, opened by this app (HKA: the user's classes, or the machine's for all users)
Root: HKA; Subkey: "Software\Classes\.hpgjournal"; ValueType: string; ValueName: ""; ValueData: "{#ProgId}"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.hpgjournal\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\{#ProgId}"; ValueType: string; ValueName: ""; ValueData: "{#AppTitle} journal"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\{#ProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"
Root: HKA; Subkey: "Software\Classes\{#ProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""
; .csv: offered under "Open with", never made the default
Root: HKA; Subkey: "Software\Classes\.csv\OpenWithProgids"; ValueType: string; ValueName: "{#CsvProgId}"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\{#CsvProgId}"; ValueType: string; ValueName: ""; ValueData: "CSV lab results"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\{#CsvProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".hpgjournal"; ValueData: ""; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".csv"; ValueData: ""

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppTitle}}"; Flags: nowait postinstall skipifsilent
