#!/usr/bin/env bash
# 教育魔方：一条命令安装测试所需的一切并运行全部测试。
#   bash scripts/test.sh [pytest 参数]        例：bash scripts/test.sh -m "not browser"
# 设置 DATABASE_URL=postgres://… 则在 PostgreSQL 上运行（REDIS_URL 同理）。退出码即 pytest 的退出码。
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_setup.sh"

# Browser tests drive Debian's chromium through Playwright (never `playwright install`); the
# CJK fonts make Chinese pages render as they do for users.
packages=()
[ -x /usr/bin/chromium ] || packages+=(chromium fonts-noto-cjk)
[ -e /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] || packages+=(fonts-noto-cjk)
[ -e "$CJK_FONT_FILE" ] || packages+=(fonts-wqy-microhei)  # embedded in the PDFs (see _setup.sh)
if [ ${#packages[@]} -gt 0 ]; then
    apt_install $(printf '%s\n' "${packages[@]}" | sort -u) ||
        echo "警告：未能安装 ${packages[*]}，浏览器测试将无法运行（apt-get install -y chromium fonts-noto-cjk）" >&2
fi

ensure_venv "[test]"
ensure_npm

# Every core runs tests (pytest-xdist; each process has its own test database and Redis
# database); MOFANG_TEST_WORKERS=0 runs them in this process. A later `-n` argument wins.
# worksteal: each process starts on a contiguous half, so a module's fixtures are built once.
args=(-n "${MOFANG_TEST_WORKERS:-auto}" --dist worksteal "$@")
if [ -n "${DATABASE_URL:-}" ]; then
    # The schema may have changed since the last run: build the test database afresh.
    args=(--create-db "${args[@]}")
    say "运行测试（PostgreSQL：${DATABASE_URL##*@}）"
else
    say "运行测试（SQLite）"
fi
exec .venv/bin/python -m pytest "${args[@]}"
