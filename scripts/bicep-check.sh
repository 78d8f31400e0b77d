#!/usr/bin/env bash
# Compiles and lints infra/bicep/main.bicep with the real Bicep compiler.
# The compiler comes from NuGet (Azure.Bicep.CommandLine.linux-x64, pinned in infra/tools/bicep.csproj):
# `dotnet restore` puts it in the NuGet package cache, where this script finds its `bicep` binary.
# Fails on any error; prints the warning count (each remaining warning is explained in infra/bicep/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."

project=infra/tools/bicep.csproj
version=$(sed -n 's/.*Azure\.Bicep\.CommandLine\.linux-x64" Version="\[\([0-9.]*\)\]".*/\1/p' "$project")
[ -n "$version" ] || { echo "bicep-check: no pinned Azure.Bicep.CommandLine.linux-x64 version in $project" >&2; exit 1; }

dotnet restore "$project" --verbosity quiet
packages=${NUGET_PACKAGES:-$(dotnet nuget locals global-packages --list | sed -n 's/^global-packages: //p')}
bicep="${packages%/}/azure.bicep.commandline.linux-x64/$version/tools/bicep"
[ -f "$bicep" ] || { echo "bicep-check: $bicep not found after restore" >&2; exit 1; }
[ -x "$bicep" ] || chmod +x "$bicep" # NuGet does not keep unix permissions on every platform

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "bicep-check: $("$bicep" --version)"

status=0
"$bicep" build infra/bicep/main.bicep --outfile "$out/main.json" 2>"$out/build.txt" || status=$?
"$bicep" lint infra/bicep/main.bicep 2>"$out/lint.txt" || status=$?
cat "$out/build.txt" "$out/lint.txt"

errors=$(cat "$out/build.txt" "$out/lint.txt" | grep -c ' : Error ' || true)
build_warnings=$(grep -c ' : Warning ' "$out/build.txt" || true)
lint_warnings=$(grep -c ' : Warning ' "$out/lint.txt" || true)
echo "bicep-check: build ${build_warnings} warning(s), lint ${lint_warnings} warning(s), ${errors} error(s)"
if [ "$status" -ne 0 ] || [ "$errors" -ne 0 ]; then
  echo "bicep-check: failed" >&2
  exit 1
fi
