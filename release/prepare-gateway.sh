#!/usr/bin/env bash
# Builds the gateway and records its resolved runtime classpath for release-tool:
#   gateway/target/classes                 -> the resources and classes layers
#   gateway/target/release-classpath.txt   -> the dependency layers, the SBOM, the provenance
# Maven resolves the classpath (dependencyManagement, exclusions, the reactor's own jars), so the
# image holds exactly what the gateway was built and tested against. maven-dependency-plugin is
# pinned to 3.8.1 in the root pom. Usage: release/prepare-gateway.sh [extra mvn args, e.g. -o]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# Jars record file modes (plexus-archiver): under umask 077 the project's own jars get 0700
# directories and the image another digest (seen: palisade-cli-support-*.jar). Fix the umask.
umask 022
mvn -B -q -pl gateway -am -DskipTests "$@" package dependency:list \
  -DincludeScope=runtime -DoutputAbsoluteArtifactFilename=true \
  -DoutputFile=target/release-classpath.txt
test -s gateway/target/release-classpath.txt
