; Kense Office's additions to electron-builder's NSIS installer (per-user: SHELL_CONTEXT is HKCU).
; kense:// links open the app right after installation, before its first start. The command puts "--" before the
; link so nothing in a crafted link can be read as a Chromium/Electron switch.
!macro customInstall
  WriteRegStr SHELL_CONTEXT "Software\Classes\kense" "" "URL:Kense Office link"
  WriteRegStr SHELL_CONTEXT "Software\Classes\kense" "URL Protocol" ""
  WriteRegStr SHELL_CONTEXT "Software\Classes\kense\DefaultIcon" "" "$appExe,0"
  WriteRegStr SHELL_CONTEXT "Software\Classes\kense\shell\open\command" "" '"$appExe" -- "%1"'
!macroend

; An update reinstalls over the old version: keep the link; a real uninstall removes it. User data (profiles,
; wrapped keys, logs in %APPDATA%\Kense Office) is left in place so unsent changes are never deleted by an uninstall.
!macro customUnInstall
  ${ifNot} ${isUpdated}
    DeleteRegKey SHELL_CONTEXT "Software\Classes\kense"
  ${endIf}
!macroend
