#!/usr/bin/env bash
# 教育魔方：一条命令安装并启动（SQLite + 内置后台任务 + 演示数据）。
#   bash scripts/start.sh [--host 127.0.0.1] [--port 8000]
# 数据目录默认为 ./var（环境变量 MOFANG_DATA_DIR）；设置 DATABASE_URL 则使用 PostgreSQL。
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_setup.sh"

ensure_venv ""
ensure_npm
ensure_cjk_font

export MOFANG_DATA_DIR="${MOFANG_DATA_DIR:-$ROOT/var}"
say "数据库迁移（数据目录 $MOFANG_DATA_DIR）"
.venv/bin/mofang migrate --noinput -v 0
# Builds the demo province once; on later starts it only says that it exists.
.venv/bin/mofang demo
say "启动服务"
exec .venv/bin/mofang serve "$@"
