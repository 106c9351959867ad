#!/bin/sh
# Sets up the plugin's virtual environment (.venv, from requirements.txt) and writes
# bin/{{name}}, the launcher the Greeter Plugins settings point at. The launcher is
# replaced on every build, and the extension restarts a running plugin when it changes:
# edit greeter.py, ./build.sh, greet.
set -e
cd "$(dirname "$0")"
# A venv cut short (a cancelled build) has python but no pip: make it again.
if ! .venv/bin/python -m pip --version >/dev/null 2>&1; then
  python3 -m venv --clear .venv
  rm -f .venv/requirements.installed
fi
if [ ! -f .venv/requirements.installed ] || [ requirements.txt -nt .venv/requirements.installed ]; then
  .venv/bin/python -m pip install --disable-pip-version-check --no-input -r requirements.txt
  touch .venv/requirements.installed
fi
# A syntax error shows here rather than when the host launches the plugin.
.venv/bin/python -m py_compile greeter.py
mkdir -p bin
cat > bin/.{{name}}.tmp <<'LAUNCHER'
#!/bin/sh
# Runs greeter.py on the project's virtual environment (written by build.sh).
here="$(cd "$(dirname "$0")/.." && pwd)"
exec "$here/.venv/bin/python" "$here/greeter.py" "$@"
LAUNCHER
chmod 755 bin/.{{name}}.tmp
mv -f bin/.{{name}}.tmp bin/{{name}}
echo "built bin/{{name}}"
