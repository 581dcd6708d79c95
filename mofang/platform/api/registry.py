"""API routes declared by the core and modules (AppConfig.ready()), collected in one router."""

API_ROUTES: list[tuple[str, type, str]] = []  # (prefix, viewset, basename)


def register_api(prefix: str, viewset: type, basename: str) -> None:
    API_ROUTES.append((prefix, viewset, basename))
