#!/usr/bin/env bash
# docsearch search host bootstrap: the EC2 user data of the search host.
#
# The CDK stack renders this file (dev.docsearch.infra.HostBootstrapScript): each double-braced NAME marker
# becomes a value of the stack and each double-braced FILE marker the named file next to this one in scripts/host/.
#
# Steps: packages (Java 17, libgomp1) -> amazon-efs-utils >= 3.0 -> the docsearch user -> mount the S3 Files file
# system at /mnt/artifacts (fstab, wait with a timeout) -> the service and pipeline jars from the CDK assets ->
# /opt/docsearch/bin/reindex and the systemd units -> CloudWatch agent (ships this log and the reindex log) ->
# start the service -> if no release exists yet, start the first build.
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
TRIGGER_FIRST_BUILD='{{TRIGGER_FIRST_BUILD}}'

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
EFS_UTILS_MIN_VERSION=3.0.0
EFS_UTILS_INSTALLER_URL=https://amazon-efs-utils.aws.com/efs-utils-installer.sh
EFS_UTILS_SOURCE_URL=https://github.com/aws/efs-utils
RUSTUP_URL=https://sh.rustup.rs
DOCSEARCH_USER=docsearch
# Fixed ids, so that files on the shared mount have the same owner on every host.
DOCSEARCH_UID=2001
export DEBIAN_FRONTEND=noninteractive
export PATH="$PATH:/opt/aws/amazon-cloudwatch-agent/bin"

# Everything below goes to the log file and to stdout (cloud-init's console log).
if [ -z "${DOCSEARCH_BOOTSTRAP_LOGGING:-}" ]; then
  mkdir -p "$(dirname "$LOG_FILE")"
  export DOCSEARCH_BOOTSTRAP_LOGGING=1
  set +e
  bash "$0" "$@" 2>&1 | tee -a "$LOG_FILE"
  status=${PIPESTATUS[0]}
  exit "$status"
fi

log() {
  printf '%s docsearch-bootstrap: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*"
}

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

install_efs_utils_from_source() {
  log "building amazon-efs-utils from $EFS_UTILS_SOURCE_URL (needs Rust >= 1.91, Go, CMake)"
  apt_install git binutils build-essential cmake golang-go perl pkg-config libssl-dev gettext
  export RUSTUP_HOME="$ROOT/opt/rust/rustup" CARGO_HOME="$ROOT/opt/rust/cargo"
  curl -fsSL --retry 3 -o "$WORK_DIR/rustup.sh" "$RUSTUP_URL"
  sh "$WORK_DIR/rustup.sh" -y --profile minimal --default-toolchain stable --no-modify-path
  export PATH="$CARGO_HOME/bin:$PATH"
  git clone --depth 1 "$EFS_UTILS_SOURCE_URL" "$WORK_DIR/efs-utils"
  (cd "$WORK_DIR/efs-utils" && ./build-deb.sh)
  local debs=("$WORK_DIR"/efs-utils/build/amazon-efs-utils*.deb)
  [ -f "${debs[0]}" ] || fail "the efs-utils source build produced no .deb in $WORK_DIR/efs-utils/build"
  apt-get install -y -q "${debs[0]}"
}

install_efs_utils() {
  if efs_utils_ok; then
    return 0
  fi
  log "installing amazon-efs-utils >= $EFS_UTILS_MIN_VERSION (found: '$(efs_utils_version)') with AWS's installer"
  if curl -fsSL --retry 3 -o "$WORK_DIR/efs-utils-installer.sh" "$EFS_UTILS_INSTALLER_URL" \
      && sh "$WORK_DIR/efs-utils-installer.sh" --install && efs_utils_ok; then
    log "amazon-efs-utils $(efs_utils_version) installed"
    return 0
  fi
  log "AWS's installer did not give amazon-efs-utils >= $EFS_UTILS_MIN_VERSION; falling back to a source build"
  install_efs_utils_from_source
  efs_utils_ok || fail "amazon-efs-utils >= $EFS_UTILS_MIN_VERSION could not be installed (installer and source build both failed; found: '$(efs_utils_version)')"
  log "amazon-efs-utils $(efs_utils_version) built and installed"
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
  local line="$FS_ID:/ $MOUNT_POINT s3files _netdev,nofail 0 0"
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
    if mount -t s3files "$FS_ID:/" "$MOUNT_DIR"; then
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
}

install_cloudwatch_agent() {
  if ! is_installed amazon-cloudwatch-agent; then
    log "installing the CloudWatch agent"
    curl -fsSL --retry 3 -o "$WORK_DIR/amazon-cloudwatch-agent.deb" \
      "https://amazoncloudwatch-agent-$AWS_REGION.s3.$AWS_REGION.amazonaws.com/ubuntu/amd64/latest/amazon-cloudwatch-agent.deb"
    dpkg -i "$WORK_DIR/amazon-cloudwatch-agent.deb"
  fi
  install_if_changed "$WORK_DIR/cloudwatch-agent.json" "$CWAGENT_CONFIG" 0644
  if [ "$INSTALLED_CHANGED" = true ]; then
    amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c "file:$CWAGENT_CONFIG"
    log "CloudWatch agent ships /var/log/docsearch-bootstrap.log and /var/log/docsearch/reindex.log to $LOG_GROUP"
  fi
}

log "starting: file system $FS_ID, region $AWS_REGION, service port $SERVICE_PORT"

install_packages
install_efs_utils
if ! command -v aws >/dev/null; then
  log "installing the AWS CLI (snap)"
  snap install aws-cli --classic
fi
create_user
mount_artifacts
own_artifact_root

jars_changed=false
for jar in "$SERVICE_JAR_URL docsearch-service.jar" "$PIPELINE_JAR_URL docsearch-pipeline.jar"; do
  # shellcheck disable=SC2086 # two words on purpose: URL and file name
  fetch_jar $jar
  if [ "$INSTALLED_CHANGED" = true ]; then jars_changed=true; fi
done

write_embedded_files
install_if_changed "$WORK_DIR/reindex" "$OPT_DIR/bin/reindex" 0755
units_changed=false
for unit in docsearch.service docsearch-reindex.service; do
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

if [ "$TRIGGER_FIRST_BUILD" = true ] && [ ! -e "$MOUNT_DIR/CURRENT" ]; then
  systemctl start --no-block docsearch-reindex.service
  log "no release in $MOUNT_POINT yet: started the first build (journalctl -u docsearch-reindex -f)"
fi

log "done"
