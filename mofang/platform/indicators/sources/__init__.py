"""The core's own fact sources (registry.FactSource): the org tree and the roll.

A module registers the sources over its own records in its AppConfig.ready() (its `facts.py`),
with the indicators over them (its `indicators.py`); the core never imports a module.
Each source counts in one grouped query and reports at the lowest org the records belong to.
"""


def register_all() -> None:
    from . import orgs, people

    orgs.register()
    people.register()
