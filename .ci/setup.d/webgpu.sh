# WebGPU for the tests, without a GPU: Dawn (npm `webgpu`) on a software driver.
# Sourced by .ci/run as root from the repository root, on Debian 12.
#  - Core WebGPU: lavapipe from Mesa 25 (bookworm-backports; stock Mesa 22's lavapipe gives no
#    adapter), unpacked into .cache/lavapipe and selected by VK_ICD_FILENAMES (the tests set it,
#    see test/support/webgpu.ts). The system only gains libvulkan1 and lavapipe's libraries.
#  - Fallback: stock Mesa's OpenGL ES through Dawn's compatibility mode.
# Idempotent: returns at once when everything is already there.
# Runs in a subshell so that sourcing it changes nothing in the caller's shell.
(
  set -euo pipefail
  readonly lavapipe_dir="$PWD/.cache/lavapipe"
  readonly icd_json="$lavapipe_dir/lvp_icd.json"
  readonly gles_packages="libegl1 libgles2 libegl-mesa0 libgl1-mesa-dri"

  installed() {
    local package
    for package; do
      dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || return 1
    done
  }

  if [ -f "$icd_json" ] && [ -f "$lavapipe_dir/ready" ] && installed libvulkan1 $gles_packages; then
    echo "webgpu: lavapipe and OpenGL ES already set up"
    exit 0
  fi

  export DEBIAN_FRONTEND=noninteractive
  codename=$(. /etc/os-release && echo "${VERSION_CODENAME:?no VERSION_CODENAME in /etc/os-release}")

  # The Debian mirror and keyring this machine already uses for its main suite, in either the
  # deb822 (*.sources) or the one-line (*.list) format.
  mirror_entry() {
    local f
    for f in /etc/apt/sources.list.d/*.sources; do
      [ -e "$f" ] || continue
      awk -v suite="$codename" '
        function flush() { if (types ~ /(^| )deb( |$)/ && (" " suites " ") ~ (" " suite " ") && uri != "") { print uri " " key; found = 1; exit } }
        /^[[:space:]]*$/ { flush(); types = suites = uri = key = ""; next }
        /^Types:/ { sub(/^Types:[[:space:]]*/, ""); types = $0 }
        /^Suites:/ { sub(/^Suites:[[:space:]]*/, ""); suites = $0 }
        /^URIs:/ { sub(/^URIs:[[:space:]]*/, ""); uri = $1 }
        /^Signed-By:/ { sub(/^Signed-By:[[:space:]]*/, ""); key = $1 }
        END { if (!found) flush() }' "$f" | head -n1
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
      [ -e "$f" ] || continue
      sed -e 's/\[[^]]*\]//' "$f" | awk -v suite="$codename" '$1 == "deb" && $3 == suite { print $2; exit }'
    done
  }
  read -r mirror keyring < <(mirror_entry | head -n1) || true
  [ -n "${mirror:-}" ] || { echo "webgpu: no Debian '$codename' entry in /etc/apt sources" >&2; exit 1; }
  keyring=${keyring:-/usr/share/keyrings/debian-archive-keyring.gpg}

  # A private apt configuration that only knows the backports suite: the system's own sources
  # stay untouched and nothing is installed from backports.
  apt_dir="$lavapipe_dir/apt"
  mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
  echo "deb [signed-by=$keyring] $mirror $codename-backports main" > "$apt_dir/sources.list"
  private_apt=(-o "Dir::Etc::SourceList=$apt_dir/sources.list" -o Dir::Etc::SourceParts=/nonexistent
    -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache" -o APT::Sandbox::User=root)
  apt-get -qq "${private_apt[@]}" update
  rm -f "$apt_dir"/*.deb
  (cd "$apt_dir" && apt-get -qq "${private_apt[@]}" download mesa-vulkan-drivers)
  deb=$(ls "$apt_dir"/mesa-vulkan-drivers_*.deb)

  # lavapipe's shared libraries come from the stock suite (the versions there load it fine).
  depends=$(dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed -e 's/(.*)//' -e 's/|.*//' | tr -d ' ' | grep -v '^$')
  apt-get -qq update
  # shellcheck disable=SC2086
  apt-get -qq install -y --no-install-recommends --no-upgrade $depends $gles_packages

  rm -rf "$lavapipe_dir/root"
  dpkg-deb -x "$deb" "$lavapipe_dir/root"
  library=$(find "$lavapipe_dir/root" -name libvulkan_lvp.so | head -n1)
  [ -n "$library" ] || { echo "webgpu: libvulkan_lvp.so missing from $deb" >&2; exit 1; }
  api_version=$(sed -n 's/.*"api_version": *"\([^"]*\)".*/\1/p' "$(find "$lavapipe_dir/root" -name 'lvp_icd*.json' | head -n1)")
  # A relative library path is resolved from the json's folder, so the checkout may move.
  cat > "$icd_json" <<JSON
{
  "file_format_version": "1.0.0",
  "ICD": { "library_path": ".${library#"$lavapipe_dir"}", "api_version": "${api_version:-1.3.0}" }
}
JSON
  dpkg-deb -f "$deb" Version > "$lavapipe_dir/ready"
  rm -f "$apt_dir"/*.deb
  echo "webgpu: lavapipe $(cat "$lavapipe_dir/ready") at $icd_json"
)
