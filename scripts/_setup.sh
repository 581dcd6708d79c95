# Shared by start.sh and test.sh (sourced, not run): the Python virtualenv and the npm assets.
# Works from a clean clone on Debian; installs the few Debian packages it needs when run as root.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf '错误：%s\n' "$*" >&2; exit 1; }

# apt-get install, but only where that is possible (Debian/Ubuntu as root or with sudo).
apt_install() {
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 || return 1
        sudo="sudo"
    fi
    command -v apt-get >/dev/null 2>&1 || return 1
    say "安装 Debian 软件包：$*"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q &&
        $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
}

find_python() {
    local candidate
    for candidate in "${PYTHON:-}" python3.11 python3; do
        [ -n "$candidate" ] || continue
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

# .venv with the project installed in editable mode; $1 = extras, e.g. "[test]".
ensure_venv() {
    local extras="${1:-}" python
    if [ ! -x .venv/bin/python ]; then
        python="$(find_python)" || die "需要 Python 3.11（Debian 12：apt-get install -y python3 python3-venv），或用 PYTHON=/path/to/python3.11 指定"
        say "创建虚拟环境 .venv（$("$python" --version)）"
        if ! "$python" -m venv .venv 2>/dev/null; then
            rm -rf .venv
            # Debian ships venv's ensurepip in a separate package.
            apt_install python3-venv || die "无法创建虚拟环境：请先安装 python3-venv"
            "$python" -m venv .venv
        fi
    fi
    # Installed once per pyproject.toml: a second run (CI's second database round) skips pip.
    local stamp=".venv/.mofang-installed" want
    want="$(sha256sum pyproject.toml | cut -c1-16) ${extras}"
    if [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
        return 0
    fi
    say "安装 Python 依赖（pip install -e \".${extras}\"）"
    .venv/bin/python -m pip install -q -e ".${extras}"
    echo "$want" >"$stamp"
}

# node_modules from package-lock.json: htmx and ECharts, served by the platform itself.
ensure_npm() {
    if ! command -v npm >/dev/null 2>&1; then
        apt_install nodejs npm || die "需要 Node.js 与 npm（Debian：apt-get install -y nodejs npm）"
    fi
    # `npm ci` once per package-lock.json (it empties node_modules first).
    local stamp="node_modules/.mofang-installed" want
    want="$(sha256sum package-lock.json | cut -c1-16)"
    if [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
        return 0
    fi
    say "安装前端资源（npm ci）"
    npm ci --no-audit --no-fund --loglevel=error
    echo "$want" >"$stamp"
}

# PDFs (整改通知书, 督办单) embed a TrueType CJK font: WenQuanYi Micro Hei (Noto CJK is CFF-based,
# which reportlab cannot embed). MOFANG_CJK_FONT may name another TrueType font file instead.
CJK_FONT_FILE=/usr/share/fonts/truetype/wqy/wqy-microhei.ttc
ensure_cjk_font() {
    if [ ! -e "$CJK_FONT_FILE" ] && [ -z "${MOFANG_CJK_FONT:-}" ]; then
        apt_install fonts-wqy-microhei ||
            echo "警告：未能安装 fonts-wqy-microhei，整改通知书等 PDF 将无法生成（apt-get install -y fonts-wqy-microhei）" >&2
    fi
}
