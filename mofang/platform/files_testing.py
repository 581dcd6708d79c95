"""An S3-compatible object store for tests: moto's standalone server, spoken to over HTTP.

`start_server` starts it on a free port of this machine (in a thread of the test process; the
boto3 of the test process and of any worker subprocess reach it over the loopback, as they would
MinIO or the provincial cloud's OSS/OBS) and creates a bucket; its MOFANG_S3_* environment is what
`mofang.settings.s3_storage` turns into a STORAGES entry; `s3_storage_here` puts this process's
default storage on it (a test's `settings` fixture). The root conftest.py's fixtures use them:
`s3_server` (the server and its bucket) and `s3` (this process's storage on it).
"""

import uuid

REGION = "us-east-1"


def start_server() -> tuple:
    """(the server, the MOFANG_S3_* environment of a new bucket on it)."""
    from moto.server import ThreadedMotoServer  # moto[server], in the [test] extras

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    env = {
        "MOFANG_S3_BUCKET": f"mofang-{uuid.uuid4().hex[:12]}",
        "MOFANG_S3_ENDPOINT_URL": f"http://{host}:{port}",
        "MOFANG_S3_REGION": REGION,
        "MOFANG_S3_ADDRESSING_STYLE": "path",
        "AWS_ACCESS_KEY_ID": "mofang-test",
        "AWS_SECRET_ACCESS_KEY": "mofang-test-secret",
    }
    client(env).create_bucket(Bucket=env["MOFANG_S3_BUCKET"])
    return server, env


def s3_storage_here(settings, env: dict) -> None:
    """This process's files go to the bucket of `env` (through pytest-django's `settings`)."""
    from mofang.settings import s3_storage

    settings.STORAGES = {**settings.STORAGES, "default": s3_storage(env)}


def client(env: dict):
    import boto3  # type: ignore[import-untyped]

    return boto3.client(
        "s3",
        endpoint_url=env["MOFANG_S3_ENDPOINT_URL"],
        region_name=REGION,
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
    )


def keys(env: dict, prefix: str = "") -> list[str]:
    """The names stored in the test bucket (under `prefix`)."""
    listing = client(env).list_objects_v2(Bucket=env["MOFANG_S3_BUCKET"], Prefix=prefix)
    return sorted(o["Key"] for o in listing.get("Contents", []))


def files_under(folder) -> list[str]:
    """Every file below `folder` on this machine's disk (none, when the store is shared)."""
    return sorted(str(p) for p in folder.rglob("*") if p.is_file()) if folder.exists() else []
