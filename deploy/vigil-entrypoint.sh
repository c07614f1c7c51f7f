#!/bin/sh
# The image's `vigil` command: runs the Vigil main class from the pre-built jars (the repository's ./vigil launcher
# builds with Maven first; the image has no Maven). Usage: vigil <proxy|stream-processors|indexer|query-api|demo> [...]
set -eu
APP=/opt/vigil
# shellcheck disable=SC2086  # VIGIL_JAVA_OPTS is a list of options
exec java ${VIGIL_JAVA_OPTS:-} \
  -Dopensearch.set.netty.runtime.available.processors=false \
  -Dlog4j2.configurationFile="${VIGIL_LOG_CONFIG:-classpath:log4j2-vigil.xml}" \
  -cp "$APP/vigil-app.jar:$APP/lib/*" dev.vigil.app.Vigil "$@"
