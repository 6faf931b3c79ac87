# shellcheck shell=bash
# Sourced, not run: what the scripts that start something Maven builds share.

# stale_reason ARTIFACT [SOURCE...]: prints why ARTIFACT must be built before it is used, or nothing when it can be
# used as it is: "<name> missing" when it does not exist, "sources changed since the last build" when a file under
# a SOURCE (a file or folder; target/ folders aside) is newer than it. With no SOURCE only its existence counts.
stale_reason() {
  local artifact=$1
  shift
  if [ ! -e "$artifact" ]; then
    echo "$(basename "$artifact") missing"
  elif [ $# -gt 0 ] && [ -n "$(find "$@" -path '*/target' -prune -o -newer "$artifact" -type f -print -quit 2>/dev/null)" ]; then
    echo "sources changed since the last build"
  fi
}

# service_java_opts: the JVM options every script starts the service jar with: JAVA_OPTS, else the default heap
# (the README's configuration table). The host's systemd unit (scripts/host/docsearch.service) sets its own.
service_java_opts() {
  echo "${JAVA_OPTS:--Xms256m -Xmx512m}"
}

# usage_text SCRIPT: the script's header comment (from line 2 to the first line that is not a comment), without
# the comment marks: what a script prints for --help or a usage error.
usage_text() {
  awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$1"
}
