"""The `<id:pk>` path converter every route uses for a row id: digits that fit a database id
(a bigint). A larger number is no match, so the route answers 404 instead of overflowing the
database driver (SQLite and PostgreSQL both refuse integers beyond 2^63 - 1)."""

MAX_ID = 2**63 - 1


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError("id out of range")  # no match: 404
        return number

    def to_url(self, value) -> str:
        return str(int(value))
