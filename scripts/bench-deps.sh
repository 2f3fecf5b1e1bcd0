#!/usr/bin/env bash
# The references `make bench` measures ours against, from Debian's packages: R with mvtnorm (pmvnorm, the orthant and
# beta(k) rows), psych and Matrix (tetrachoric, nearPD: the tetrachoric and bootstrap rows), and Snakemake (the
# no-op row). Needs root. Without them `make bench` still runs and marks the reference side n/a.
#   bash scripts/bench-deps.sh
set -euo pipefail
packages=(r-base-core r-cran-mvtnorm r-cran-psych r-cran-matrix r-cran-jsonlite snakemake)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -eq 0 ]; then echo "bench references: all installed (${packages[*]})"; exit 0; fi
echo "bench references: installing ${missing[*]}" >&2
apt-get -o DPkg::Lock::Timeout=900 update -qq >&2
DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -qq "${missing[@]}" >&2
echo "bench references: installed ${missing[*]}"
