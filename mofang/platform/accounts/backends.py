"""The authentication backend: Django's ModelBackend, with the read every signed-in request makes —
its user by primary key — done with one statement compiled once per process.

Why: a signed-in page reads its user from the database on every request (what makes a
deactivation, a password change and a new access version take effect at once, see access.py), and
the ORM's `get(pk=…)` built that query anew each time — about 0.3 ms of CPU, a tenth of a whole
signed-in page. The statement is the ORM's own (`filter(pk=…)`, every concrete column), compiled
for each database alias the router sends the read to; the row becomes a User through `from_db`, as
the ORM makes it. Everything else (passwords, permissions, who may sign in) is ModelBackend's.
"""

from django.contrib.auth.backends import ModelBackend
from django.db import connections, router

PATH = "mofang.platform.accounts.backends.AccountBackend"
# what sessions made before this backend hold; read as PATH (accounts.access.request_user)
LEGACY_PATH = "django.contrib.auth.backends.ModelBackend"


_COMPILED: dict = {}  # database alias -> (sql, column attnames, its compiler, the column converters)


class AccountBackend(ModelBackend):
    def get_user(self, user_id):
        from .models import User

        try:
            pk = int(user_id)
        except (TypeError, ValueError):
            return None
        alias = router.db_for_read(User)
        sql, names, compiler, converters = self._statement(User, alias)
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, [pk])
            row = cursor.fetchone()
        if row is None:
            return None
        if converters:  # the backend's own conversions (SQLite's datetimes), as the ORM applies them
            row = next(iter(compiler.apply_converters([row], converters)))
        user = User.from_db(alias, names, row)
        return user if self.user_can_authenticate(user) else None

    @staticmethod
    def _statement(model, alias):
        got = _COMPILED.get(alias)
        if got is None:
            compiler = model._base_manager.using(alias).filter(pk=0).query.get_compiler(alias)
            sql, params = compiler.as_sql()
            assert list(params) == [0], params  # one placeholder: the primary key
            converters = compiler.get_converters([col for col, _sql, _alias in compiler.select])
            names = [f.attname for f in model._meta.concrete_fields]
            got = _COMPILED[alias] = (sql, names, compiler, converters)
        return got
