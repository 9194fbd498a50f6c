#!/usr/bin/env bash
# Sets up retis for TypeScript on a Debian machine, as root: system packages, npm dependencies, the build,
# the native collector, `retis` on PATH and the Jupyter kernelspec. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")"

step() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# System packages, one group per part of the project.
APT_PACKAGES=(
  # collector/: clang + libbpf CO-RE, skeletons by bpftool, pcap filters, test namespaces and nft rules
  clang llvm libbpf-dev bpftool libelf-dev zlib1g-dev libpcap-dev iproute2 nftables iputils-ping make
  # collector tests: sysctl, pgrep and kill in the namespaces (coreutils' timeout is Essential)
  procps
  # kernel/ tests: Debian's Jupyter (runs under /usr/bin/python3)
  python3-jupyter-client jupyter-console python3-nbclient python3-nbconvert python3-nbformat
  python3-jupyter-kernel-test jupyter-server jupyter-notebook
  # `jupyter kernelspec` (the tests and `retis kernel install` call it): Debian's jupyter-client package has
  # the jupyter-kernelspec command, jupyter-core the `jupyter` front command and python3-jupyter-core its module
  jupyter-client jupyter-core python3-jupyter-core
  # JupyterLab in a real browser (test/lab/): Debian's jupyterlab_server and Chromium
  python3-jupyterlab-server python3-jupyter-server python3-tornado chromium
  # packet oracles: Scapy for dissection, tcpdump/tshark for pcap files, socat for test traffic
  python3-scapy tcpdump tshark socat
  # lsp/ tests: a real editor; retis ts shell tests: a terminal
  neovim tmux
  # `npm run bench`: the Rust reader's crates (serde, serde_derive, serde_json) for an offline cargo build
  # (bench/rust-reader; cargo itself is not from here: without it the bench skips those rows with a note)
  librust-serde-dev librust-serde-json-dev librust-serde-derive-dev
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  step "installing Debian packages: ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "install.sh: Debian packages missing (${missing[*]}) and not root: run as root" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# The kernel tests and `retis kernel install --sys-prefix` rely on it (test/package/install-sh.test.ts checks it too).
jupyter kernelspec list >/dev/null 2>&1 || {
  echo "install.sh: 'jupyter kernelspec list' fails after installing the Debian packages: is jupyter-client installed?" >&2
  exit 1
}

# Node itself is not from APT_PACKAGES: Debian 12's nodejs is 18, and retis needs 20 (package.json engines).
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  echo "install.sh: Node.js 20 or later with npm is needed (found: $(node --version 2>/dev/null || echo none)); install it from nodejs.org or NodeSource" >&2
  exit 1
fi

step "npm dependencies"
npm ci --no-audit --no-fund --loglevel=error

step "build (tsc)"
npm run --silent build

if [ -f test/lab/package.json ]; then
  # The JupyterLab front end of test/lab/lab.test.ts: its own packages (~450 MB) and a webpack build,
  # redone only when its inputs changed (build.cjs compares times).
  step "test front end (test/lab: JupyterLab 4.6)"
  lab_stamp=test/lab/node_modules/.package-lock.json
  if [ ! -f "$lab_stamp" ] || [ test/lab/package-lock.json -nt "$lab_stamp" ]; then
    (cd test/lab && npm ci --no-audit --no-fund --loglevel=error)
  fi
  (cd test/lab && node build.cjs)
fi

if [ -f collector/Makefile ]; then
  step "native collector"
  make -s -C collector
fi

step "retis on PATH"
npm link --no-audit --no-fund --loglevel=error >/dev/null
command -v retis >/dev/null || { echo "install.sh: retis is not on PATH after npm link" >&2; exit 1; }

if [ -f dist/kernel/main.js ]; then
  step "Jupyter kernelspec"
  retis kernel install --sys-prefix >/dev/null || retis kernel install
fi

# The main job, on a bundled capture: print it and summarize it.
sample=samples/retis.data
if [ ! -f "$sample" ]; then
  sample="${RETIS_SAMPLES:-../shared/retis-samples}/retis/test_data/test_events_packets.json"
fi
if [ -f "$sample" ]; then
  step "retis print $sample (first events)"
  retis print "$sample" | head -n 12
  step "retis stats $sample"
  retis stats "$sample"
fi
step "done: try 'retis print $sample' or 'npm test'"
