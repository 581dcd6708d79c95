"""一个平台 — the platform core every module stands on: org tree, people, accounts and scope,
audit, notifications, jobs, import/export, the web shell and the HTTP API."""
