#!/usr/bin/env bash
# docsearch host bootstrap: the EC2 user data of the serving hosts and of the builder.
#
# The CDK stack renders this file (dev.docsearch.infra.HostBootstrapScript): each double-braced NAME marker
# becomes a value of the stack and each double-braced FILE marker the named file next to this one in scripts/host/.
#
# Steps: packages (Java 17, libgomp1) -> amazon-efs-utils >= 3.0 from AWS's installer, checked against the SHA-256
# pinned in pinned-downloads -> the AWS CLI -> the docsearch user -> mount the S3 Files file system at
# /mnt/artifacts (fstab, wait with a timeout; read-only on serving hosts) -> the jars from the CDK assets -> the
# scripts and systemd units of the host's role -> CloudWatch agent (pinned as well) -> then, by role:
#   serving: start docsearch.service, wait until /health is ok, start the builder if no release exists yet;
#   builder: start docsearch-builder.service (runs docsearch-reindex.service, then scales its own group to 0).
# A serving host signals the outcome to CloudFormation (the group's CreationPolicy / rolling update waits for it), so
# a failed boot fails the deploy. A builder whose boot fails scales its group back to 0 instead of idling.
#
# Idempotent: a second run changes nothing. Logs to /var/log/docsearch-bootstrap.log.
# Tests run it with stub commands first on PATH and ROOT_PREFIX set to a temporary directory, under which every
# file this script writes goes.
set -Eeuo pipefail

FS_ID='{{FS_ID}}'
AWS_REGION='{{AWS_REGION}}'
SERVICE_JAR_URL='{{SERVICE_JAR_URL}}'
PIPELINE_JAR_URL='{{PIPELINE_JAR_URL}}'
SERVICE_PORT='{{SERVICE_PORT}}'
LOG_GROUP='{{LOG_GROUP}}'
HOST_ROLE='{{HOST_ROLE}}'
STACK_NAME='{{STACK_NAME}}'
SIGNAL_RESOURCE='{{SIGNAL_RESOURCE}}'
BUILDER_GROUP='{{BUILDER_GROUP}}'

ROOT="${ROOT_PREFIX:-}"
MOUNT_POINT=/mnt/artifacts
MOUNT_DIR="$ROOT$MOUNT_POINT"
MOUNT_TIMEOUT_SECONDS="${MOUNT_TIMEOUT_SECONDS:-300}"
MOUNT_RETRY_SECONDS="${MOUNT_RETRY_SECONDS:-10}"
LOG_FILE="$ROOT/var/log/docsearch-bootstrap.log"
FSTAB="$ROOT/etc/fstab"
OPT_DIR="$ROOT/opt/docsearch"
UNIT_DIR="$ROOT/etc/systemd/system"
REINDEX_LOG_DIR="$ROOT/var/log/docsearch"
CWAGENT_CONFIG="$ROOT/opt/aws/amazon-cloudwatch-agent/etc/docsearch.json"
CWAGENT_PROMETHEUS="$ROOT/opt/aws/amazon-cloudwatch-agent/etc/docsearch-prometheus.json"
CWAGENT_SCRAPE="$ROOT/opt/aws/amazon-cloudwatch-agent/etc/docsearch-prometheus.yaml"
EFS_UTILS_MIN_VERSION=3.0.0
EFS_UTILS_CONFIG="$ROOT/etc/amazon/efs/s3files-utils.conf"
READY_TIMEOUT_SECONDS="${READY_TIMEOUT_SECONDS:-600}"
READY_RETRY_SECONDS="${READY_RETRY_SECONDS:-5}"
IMDS=http://169.254.169.254/latest
BUILDER_ENV="$ROOT/etc/docsearch/builder.env"
DOCSEARCH_USER=docsearch
# Fixed ids, so that files on the shared mount have the same owner on every host.
DOCSEARCH_UID=2001
export DEBIAN_FRONTEND=noninteractive
export PATH="$PATH:/opt/aws/amazon-cloudwatch-agent/bin"

# Everything below goes to the log file and to stdout (cloud-init's console log).
log() {
  printf '%s docsearch-bootstrap: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*"
}

# IMDSv2: a session token first, then the value at $1 (e.g. meta-data/instance-id).
imds() {
  local token
  token="$(curl -fsS --max-time 5 -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 300' "$IMDS/api/token")" \
    && curl -fsS --max-time 5 -H "X-aws-ec2-metadata-token: $token" "$IMDS/$1"
}

# Tells CloudFormation how the boot of this serving host went: the group's CreationPolicy and rolling update wait
# for one SUCCESS per instance, and one FAILURE fails (and rolls back) the deploy at once.
signal_cloudformation() {
  local outcome=$1 instance
  if ! command -v aws >/dev/null; then
    log "cannot signal $outcome to CloudFormation: no AWS CLI yet (the deploy fails when the signal times out)"
    return 0
  fi
  instance="$(imds meta-data/instance-id)" || { log "cannot signal $outcome: no instance id from IMDS"; return 0; }
  if aws cloudformation signal-resource --region "$AWS_REGION" --stack-name "$STACK_NAME" \
      --logical-resource-id "$SIGNAL_RESOURCE" --unique-id "$instance" --status "$outcome"; then
    log "signalled $outcome for $instance to $STACK_NAME/$SIGNAL_RESOURCE"
  else
    log "signal $outcome to $STACK_NAME/$SIGNAL_RESOURCE failed (no deploy waiting for it, or no permission)"
  fi
}

# The builder's group: the instance reads it from its own tags (instance metadata tags are on in the launch
# template), since its user data cannot name the group that contains it.
own_group() {
  imds meta-data/tags/instance/aws:autoscaling:groupName
}

# Sets the builder's group to $1 instances: 1 starts a build, 0 ends the builder.
scale_builder() {
  local group=$1 capacity=$2
  aws autoscaling set-desired-capacity --region "$AWS_REGION" --auto-scaling-group-name "$group" \
    --desired-capacity "$capacity"
}

if [ -z "${DOCSEARCH_BOOTSTRAP_LOGGING:-}" ]; then
  mkdir -p "$(dirname "$LOG_FILE")"
  export DOCSEARCH_BOOTSTRAP_LOGGING=1
  set +e
  bash "$0" "$@" 2>&1 | tee -a "$LOG_FILE"
  status=${PIPESTATUS[0]}
  if [ "$HOST_ROLE" = serving ]; then
    if [ "$status" -eq 0 ]; then outcome=SUCCESS; else outcome=FAILURE; fi
    signal_cloudformation "$outcome" 2>&1 | tee -a "$LOG_FILE"
  elif [ "$status" -ne 0 ]; then
    # A builder that cannot build must not idle (and cost) until the next deploy.
    { group="$(own_group)" && scale_builder "$group" 0 && log "boot failed: scaled $group to 0"; } 2>&1 \
      | tee -a "$LOG_FILE"
  fi
  exit "$status"
fi

fail() {
  log "FAILED: $*"
  exit 1
}

trap 'log "FAILED: command \"$BASH_COMMAND\" exited with $? (line $LINENO)"' ERR

WORK_DIR="$(mktemp -d)"
trap 'rm -rf "$WORK_DIR"' EXIT

is_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

apt_install() {
  local missing=()
  local p
  for p in "$@"; do
    is_installed "$p" || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    return 0
  fi
  log "apt-get install ${missing[*]}"
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
}

efs_utils_version() {
  dpkg-query -W -f='${Version}' amazon-efs-utils 2>/dev/null || true
}

efs_utils_ok() {
  local v
  v="$(efs_utils_version)"
  [ -n "$v" ] && dpkg --compare-versions "$v" ge "$EFS_UTILS_MIN_VERSION"
}

# Copies $1 to $2 with mode $3 when the content differs; sets INSTALLED_CHANGED=true when it changed something.
install_if_changed() {
  local src=$1 dest=$2 mode=$3
  INSTALLED_CHANGED=false
  if [ -f "$dest" ] && cmp -s "$src" "$dest"; then
    return 0
  fi
  install -D -m "$mode" "$src" "$dest"
  INSTALLED_CHANGED=true
  log "installed $dest"
}

install_packages() {
  apt_install openjdk-17-jre-headless libgomp1 ca-certificates curl
}

# Downloads the file pinned as $1 in pinned-downloads to $2 and refuses it unless its SHA-256 is the pinned one:
# what boots a host is what was reviewed, and a changed upstream file fails the boot loudly instead of running.
fetch_pinned() {
  local name=$1 dest=$2 sha url
  read -r sha url < <(awk -v n="$name" '$1 == n { print $2, $3 }' "$PINNED_DOWNLOADS") || true
  [ -n "${url:-}" ] || fail "pinned-downloads has no entry for $name"
  if [ "$sha" = UNPINNED ]; then
    # Not yet reviewed: fetched over HTTPS from the vendor as before pinning existed, and said so with the checksum
    # to review and pin, rather than failing every first deploy of a checkout that has not pinned it yet.
    curl -fsSL --retry 3 -o "$dest" "$url" || fail "could not download $name from $url"
    local sum
    sum=$(sha256sum "$dest") || fail "could not hash $dest"
    log "WARNING: $name is not pinned: downloaded from $url over HTTPS without a checksum check (SHA-256 ${sum%% *}); review it and pin that value in scripts/host/pinned-downloads"
    return 0
  fi
  if ! printf '%s' "$sha" | grep -qxE '[0-9a-f]{64}'; then
    fail "pinned-downloads: '$sha' for $name is neither a SHA-256 (64 hex digits) nor UNPINNED"
  fi
  curl -fsSL --retry 3 -o "$dest" "$url" || fail "could not download $name from $url"
  printf '%s  %s\n' "$sha" "$dest" | sha256sum -c --quiet - \
    || fail "$name from $url does not have the pinned SHA-256 $sha (upstream changed it: review the new file, then pin its checksum)"
  log "downloaded $name ($url, SHA-256 verified)"
}

install_efs_utils() {
  if efs_utils_ok; then
    return 0
  fi
  log "installing amazon-efs-utils >= $EFS_UTILS_MIN_VERSION (found: '$(efs_utils_version)') with AWS's installer"
  fetch_pinned efs-utils-installer "$WORK_DIR/efs-utils-installer.sh"
  sh "$WORK_DIR/efs-utils-installer.sh" --install || fail "AWS's efs-utils installer failed"
  efs_utils_ok || fail "AWS's installer did not give amazon-efs-utils >= $EFS_UTILS_MIN_VERSION (found: '$(efs_utils_version)')"
  log "amazon-efs-utils $(efs_utils_version) installed"
}

# efs-utils sends its mount and proxy logs to CloudWatch: to the stack's host log group (which the role may write
# to and whose retention the stack sets), not to a group of its own. Its proxy metrics are off: nothing reads them.
configure_efs_utils() {
  [ -f "$EFS_UTILS_CONFIG" ] || fail "amazon-efs-utils left no $EFS_UTILS_CONFIG"
  sed -e "s|^log_group_name = .*|log_group_name = $LOG_GROUP|" \
    -e 's|^retention_in_days = |# retention_in_days = |' \
    -e 's|^metrics_enabled = true|metrics_enabled = false|' "$EFS_UTILS_CONFIG" >"$WORK_DIR/s3files-utils.conf"
  install_if_changed "$WORK_DIR/s3files-utils.conf" "$EFS_UTILS_CONFIG" 0644
}

create_user() {
  if getent passwd "$DOCSEARCH_USER" >/dev/null; then
    return 0
  fi
  log "creating system user $DOCSEARCH_USER ($DOCSEARCH_UID)"
  groupadd --system --gid "$DOCSEARCH_UID" "$DOCSEARCH_USER"
  useradd --system --uid "$DOCSEARCH_UID" --gid "$DOCSEARCH_UID" --home-dir /opt/docsearch \
    --shell /usr/sbin/nologin "$DOCSEARCH_USER"
}

mount_artifacts() {
  # Serving hosts only read releases; only the builder writes.
  local options=_netdev,nofail mount_options=()
  if [ "$HOST_ROLE" = serving ]; then
    options="$options,ro"
    mount_options=(-o ro)
  fi
  local line="$FS_ID:/ $MOUNT_POINT s3files $options 0 0"
  mkdir -p "$MOUNT_DIR" "$(dirname "$FSTAB")"
  touch "$FSTAB"
  if ! grep -qxF "$line" "$FSTAB"; then
    # Replace any older entry for the mount point (another file system id), keep everything else.
    grep -vE "^[^#[:space:]]+[[:space:]]+${MOUNT_POINT}[[:space:]]" "$FSTAB" >"$WORK_DIR/fstab" || true
    printf '%s\n' "$line" >>"$WORK_DIR/fstab"
    cat "$WORK_DIR/fstab" >"$FSTAB"
    log "fstab: $line"
  fi
  if mountpoint -q "$MOUNT_DIR"; then
    return 0
  fi
  log "mounting $FS_ID:/ at $MOUNT_POINT (s3files; waiting up to ${MOUNT_TIMEOUT_SECONDS}s)"
  local deadline=$((SECONDS + MOUNT_TIMEOUT_SECONDS))
  until mountpoint -q "$MOUNT_DIR"; do
    if mount -t s3files "${mount_options[@]}" "$FS_ID:/" "$MOUNT_DIR"; then
      continue
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      fail "S3 Files file system $FS_ID did not mount at $MOUNT_POINT within ${MOUNT_TIMEOUT_SECONDS}s; see /var/log/amazon/efs/mount.log (is the mount target available, NFS 2049 open from the host's security group, AmazonS3FilesClientFullAccess on the instance role?)"
    fi
    log "mount of $FS_ID not ready yet; retrying in ${MOUNT_RETRY_SECONDS}s"
    sleep "$MOUNT_RETRY_SECONDS"
  done
  log "mounted $FS_ID:/ at $MOUNT_POINT"
}

own_artifact_root() {
  if [ "$(stat -c %u "$MOUNT_DIR")" != "$DOCSEARCH_UID" ]; then
    chown "$DOCSEARCH_UID:$DOCSEARCH_UID" "$MOUNT_DIR"
    log "gave $MOUNT_POINT to $DOCSEARCH_USER"
  fi
}

# Downloads one jar asset; refuses the placeholder the stack ships when the jar was not built.
fetch_jar() {
  local url=$1 name=$2
  aws s3 cp --only-show-errors --region "$AWS_REGION" "$url" "$WORK_DIR/$name" \
    || fail "could not download $name from $url (may the instance role read the CDK asset bucket?)"
  if [ "$(head -c 2 "$WORK_DIR/$name")" != "PK" ]; then
    fail "$name from $url is not a jar: $(head -n 1 "$WORK_DIR/$name") - build the jars (mvn -B package) and run cdk deploy again"
  fi
  install_if_changed "$WORK_DIR/$name" "$OPT_DIR/lib/$name" 0644
}

write_embedded_files() {
  cat >"$WORK_DIR/docsearch.service" <<'DOCSEARCH_EMBEDDED_FILE'
{{FILE:docsearch.service}}
DOCSEARCH_EMBEDDED_FILE
  cat >"$WORK_DIR/docsearch-reindex.service" <<'DOCSEARCH_EMBEDDED_FILE'
{{FILE:docsearch-reindex.service}}
DOCSEARCH_EMBEDDED_FILE
  cat >"$WORK_DIR/reindex" <<'DOCSEARCH_EMBEDDED_FILE'
{{FILE:reindex}}
DOCSEARCH_EMBEDDED_FILE
  cat >"$WORK_DIR/cloudwatch-agent.json" <<'DOCSEARCH_EMBEDDED_FILE'
{{FILE:cloudwatch-agent.json}}
DOCSEARCH_EMBEDDED_FILE
  cat >"$WORK_DIR/cloudwatch-prometheus.json" <<'DOCSEARCH_EMBEDDED_FILE'
{{FILE:cloudwatch-prometheus.json}}
DOCSEARCH_EMBEDDED_FILE
  cat >"$WORK_DIR/docsearch-prometheus.yaml" <<'DOCSEARCH_EMBEDDED_FILE'
{{FILE:docsearch-prometheus.yaml}}
DOCSEARCH_EMBEDDED_FILE
  cat >"$WORK_DIR/docsearch-builder.service" <<'DOCSEARCH_EMBEDDED_FILE'
{{FILE:docsearch-builder.service}}
DOCSEARCH_EMBEDDED_FILE
  cat >"$WORK_DIR/build-once" <<'DOCSEARCH_EMBEDDED_FILE'
{{FILE:build-once}}
DOCSEARCH_EMBEDDED_FILE
  cat >"$WORK_DIR/pinned-downloads" <<'DOCSEARCH_EMBEDDED_FILE'
{{FILE:pinned-downloads}}
DOCSEARCH_EMBEDDED_FILE
}

# Serving: /health answers 200 (a release is served). On a first deploy no release exists until the builder has
# published one; then a 503 from a running service is the expected state, and the host is ready for it.
wait_until_ready() {
  local deadline=$((SECONDS + READY_TIMEOUT_SECONDS)) code
  log "waiting up to ${READY_TIMEOUT_SECONDS}s for http://127.0.0.1:$SERVICE_PORT/health"
  while :; do
    code="$(curl -sS -o "$WORK_DIR/health.json" -w '%{http_code}' --max-time 5 \
      "http://127.0.0.1:$SERVICE_PORT/health" 2>/dev/null)" || true
    if [ "$code" = 200 ]; then
      log "ready: /health is ok ($(head -c 300 "$WORK_DIR/health.json"))"
      return 0
    fi
    if [ "$code" = 503 ] && [ ! -e "$MOUNT_DIR/CURRENT" ]; then
      log "ready: the service runs and waits for the first release (/health 503 while none exists)"
      return 0
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      fail "docsearch.service did not report /health ok within ${READY_TIMEOUT_SECONDS}s (last answer: HTTP ${code:-none} $(head -c 300 "$WORK_DIR/health.json" 2>/dev/null)); see journalctl -u docsearch"
    fi
    sleep "$READY_RETRY_SECONDS"
  done
}

install_cloudwatch_agent() {
  if ! is_installed amazon-cloudwatch-agent; then
    log "installing the CloudWatch agent"
    fetch_pinned cloudwatch-agent "$WORK_DIR/amazon-cloudwatch-agent.deb"
    dpkg -i "$WORK_DIR/amazon-cloudwatch-agent.deb"
  fi
  local changed=false
  install_if_changed "$WORK_DIR/cloudwatch-agent.json" "$CWAGENT_CONFIG" 0644
  if [ "$INSTALLED_CHANGED" = true ]; then changed=true; fi
  if [ "$HOST_ROLE" = serving ]; then
    # The service's /metrics (loopback :9100) as CloudWatch metrics, through embedded metric format logs.
    install_if_changed "$WORK_DIR/docsearch-prometheus.yaml" "$CWAGENT_SCRAPE" 0644
    if [ "$INSTALLED_CHANGED" = true ]; then changed=true; fi
    install_if_changed "$WORK_DIR/cloudwatch-prometheus.json" "$CWAGENT_PROMETHEUS" 0644
    if [ "$INSTALLED_CHANGED" = true ]; then changed=true; fi
  fi
  if [ "$changed" = true ]; then
    amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c "file:$CWAGENT_CONFIG"
    log "CloudWatch agent ships /var/log/docsearch-bootstrap.log and /var/log/docsearch/reindex.log to $LOG_GROUP"
    if [ "$HOST_ROLE" = serving ]; then
      amazon-cloudwatch-agent-ctl -a append-config -m ec2 -s -c "file:$CWAGENT_PROMETHEUS"
      log "CloudWatch agent scrapes http://127.0.0.1:9100/metrics each minute into the Docsearch namespace"
    fi
  fi
}

log "starting: $HOST_ROLE host, file system $FS_ID, region $AWS_REGION, service port $SERVICE_PORT"
case "$HOST_ROLE" in
  serving | builder) ;;
  *) fail "unknown host role '$HOST_ROLE' (serving or builder)" ;;
esac

write_embedded_files
PINNED_DOWNLOADS="${PINNED_DOWNLOADS_FILE:-$WORK_DIR/pinned-downloads}"
install_packages
# The CLI first: the readiness signal (or the builder's scale-in) needs it whenever a later step fails.
if ! command -v aws >/dev/null; then
  log "installing the AWS CLI (snap)"
  snap install aws-cli --classic
fi
install_efs_utils
configure_efs_utils
create_user
mount_artifacts
if [ "$HOST_ROLE" = builder ]; then
  own_artifact_root
fi

jars_changed=false
for jar in "$SERVICE_JAR_URL docsearch-service.jar" "$PIPELINE_JAR_URL docsearch-pipeline.jar"; do
  # shellcheck disable=SC2086 # two words on purpose: URL and file name
  fetch_jar $jar
  if [ "$INSTALLED_CHANGED" = true ]; then jars_changed=true; fi
done

if [ "$HOST_ROLE" = serving ]; then
  units=(docsearch.service)
else
  units=(docsearch-reindex.service docsearch-builder.service)
  install_if_changed "$WORK_DIR/reindex" "$OPT_DIR/bin/reindex" 0755
  install_if_changed "$WORK_DIR/build-once" "$OPT_DIR/bin/build-once" 0755
  group="$(own_group)" || fail "cannot read this builder's group from its instance tags (instance metadata tags on?)"
  printf 'AWS_REGION=%s\nBUILDER_GROUP=%s\n' "$AWS_REGION" "$group" >"$WORK_DIR/builder.env"
  install_if_changed "$WORK_DIR/builder.env" "$BUILDER_ENV" 0644
fi
units_changed=false
for unit in "${units[@]}"; do
  install_if_changed "$WORK_DIR/$unit" "$UNIT_DIR/$unit" 0644
  if [ "$INSTALLED_CHANGED" = true ]; then units_changed=true; fi
done
if [ ! -d "$REINDEX_LOG_DIR" ]; then
  install -d -m 0755 -o "$DOCSEARCH_UID" -g "$DOCSEARCH_UID" "$REINDEX_LOG_DIR"
fi

install_cloudwatch_agent

if [ "$units_changed" = true ]; then
  systemctl daemon-reload
fi

if [ "$HOST_ROLE" = builder ]; then
  # The build runs as a unit (its sandbox, its log, one run at a time), not inside this user data.
  systemctl start --no-block docsearch-builder.service
  log "started docsearch-builder.service (journalctl -u docsearch-reindex -f); the group scales to 0 when it ends"
  log "done"
  exit 0
fi

if ! systemctl is-enabled -q docsearch.service; then
  systemctl enable docsearch.service
fi
if [ "$jars_changed" = true ] || [ "$units_changed" = true ]; then
  systemctl restart docsearch.service
  log "docsearch.service (re)started on port $SERVICE_PORT"
elif ! systemctl is-active -q docsearch.service; then
  systemctl start docsearch.service
  log "docsearch.service started on port $SERVICE_PORT"
fi

if [ ! -e "$MOUNT_DIR/CURRENT" ]; then
  scale_builder "$BUILDER_GROUP" 1 || fail "could not start the builder ($BUILDER_GROUP) for the first release"
  log "no release in $MOUNT_POINT yet: started the builder $BUILDER_GROUP for the first one"
fi
wait_until_ready

log "done"
