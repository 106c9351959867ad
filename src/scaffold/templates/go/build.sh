#!/bin/sh
# Builds the plugin into bin/{{name}}, the file the Greeter Plugins settings point at.
# The extension restarts a running plugin when that file changes: edit, ./build.sh, greet.
# Modules come from the Go module proxy on the first build.
set -e
cd "$(dirname "$0")"
# GOWORK=off: the project is its own module, also inside a folder with a go.work.
GOWORK=off go build -buildvcs=false -trimpath -o bin/{{name}} .
echo "built bin/{{name}}"
