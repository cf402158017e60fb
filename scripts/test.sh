#!/usr/bin/env bash
# The whole test suite, from a fresh Debian machine: system tools (TeX Live, Chromium),
# the package with its test extras, then lint, types and pytest (browser and LaTeX included).
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v pdflatex >/dev/null || need_apt+=(texlive-latex-base texlive-latex-recommended lmodern)
command -v bibtex >/dev/null || need_apt+=(texlive-binaries)
command -v biber >/dev/null || need_apt+=(biber texlive-bibtex-extra)
kpsewhich biblatex.sty >/dev/null 2>&1 || need_apt+=(texlive-bibtex-extra)
command -v pdftotext >/dev/null || need_apt+=(poppler-utils)
command -v chromium >/dev/null || need_apt+=(chromium)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "installing system packages: ${need_apt[*]}"
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

# The tools are installed above, so no test may skip for want of them.
export CI="${CI:-true}"
python3 -m pip install -q --disable-pip-version-check -e ".[test]"
python3 -m ruff check mkdocs_readinglist tests bench
python3 -m mypy
python3 -m pytest "$@"
