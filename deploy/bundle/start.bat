@echo off
rem Start the dashboard from this bundle with no network: a virtual environment is made once, from the wheels in
rem .\wheels (pip never contacts a package index), then the app runs on http://localhost:8501.
rem Needs Python 3.11 (64-bit): the "py" launcher or python on the PATH; or set PYTHON to its path.
setlocal
cd /d "%~dp0"
if "%PORT%"=="" set PORT=8501
if exist ".venv\installed" goto run
if not "%PYTHON%"=="" goto check
set PYTHON=python
where py >nul 2>nul && set PYTHON=py -3.11
:check
%PYTHON% -c "import sys; sys.exit(sys.version_info[:2] != (3, 11))" || goto nopython
echo First start: installing the bundled packages into .venv (no network needed)...
if exist .venv rmdir /s /q .venv
%PYTHON% -m venv .venv || goto failed
set PIP_CONFIG_FILE=nul
.venv\Scripts\python -m pip install --no-index --find-links wheels --disable-pip-version-check --no-compile -q -r requirements.txt || goto failed
echo installed> .venv\installed
:run
echo Starting the dashboard on http://localhost:%PORT% (close this window to stop it).
rem deploy.serve: streamlit run without the per-interaction wait (Nagle off; see deploy\serve.py).
.venv\Scripts\python -m deploy.serve --server.address=127.0.0.1 --server.port=%PORT% --browser.gatherUsageStats=false --browser.serverAddress=localhost %*
goto end
:nopython
echo Python 3.11 (64-bit) is needed: install it, or set PYTHON to its python.exe.
pause
exit /b 1
:failed
echo The installation failed; see the messages above.
pause
exit /b 1
:end
