"""Files in an S3-compatible bucket (AWS S3, MinIO, Ceph, or moto in the test suite).

The bucket, the key prefix and the endpoint come from the config (S3_BUCKET, S3_PREFIX,
S3_ENDPOINT_URL); credentials and region from the standard AWS_* environment variables or
~/.aws, as boto3 reads them. A PUT is whole or nothing, so no reader sees half a file. Each
upload carries a SHA-256 checksum that the server verifies, so a file damaged on the way is
refused rather than stored.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import IO, Iterator

import boto3
from botocore.config import Config as BotoConfig
from botocore.exceptions import BotoCoreError, ClientError

from tracker.filestore.base import Stored, StoreUnavailable

log = logging.getLogger(__name__)
MISSING = {"404", "NoSuchKey", "NotFound"}
# Short timeouts and few retries: a request waiting on an unreachable store should fail with a
# clear message quickly, not hold a worker for minutes.
CLIENT_CONFIG = BotoConfig(connect_timeout=5, read_timeout=60, retries={"max_attempts": 3, "mode": "standard"},
                           signature_version="s3v4", s3={"addressing_style": "path"})


class S3Store:
    def __init__(self, bucket: str, prefix: str, endpoint_url: str | None, scratch: Path):
        if not bucket:
            raise RuntimeError("STORAGE_BACKEND=s3 needs S3_BUCKET")
        self.bucket, self.prefix, self.scratch = bucket, prefix, scratch
        self.client = boto3.session.Session().client("s3", endpoint_url=endpoint_url, config=CLIENT_CONFIG)

    def _name(self, key: str) -> str:
        return self.prefix + key

    def _call(self, what: str, key: str, call, *args, **kwargs):
        """Run a client call; a missing object is FileNotFoundError, anything else StoreUnavailable."""
        try:
            return call(*args, **kwargs)
        except ClientError as error:
            code = str(error.response.get("Error", {}).get("Code", ""))
            if code in MISSING:
                raise FileNotFoundError(key) from None
            raise StoreUnavailable(f"S3 {what} of {self.bucket}/{self._name(key)} failed: {code or error}") from error
        except BotoCoreError as error:
            raise StoreUnavailable(f"S3 {what} of {self.bucket}/{self._name(key)} failed: {error}") from error

    def put_file(self, key: str, path: Path) -> None:
        with path.open("rb") as body:
            self._call("put", key, self.client.put_object, Bucket=self.bucket, Key=self._name(key), Body=body,
                       ChecksumAlgorithm="SHA256")

    def put_bytes(self, key: str, data: bytes) -> None:
        self._call("put", key, self.client.put_object, Bucket=self.bucket, Key=self._name(key), Body=data,
                   ChecksumAlgorithm="SHA256")

    def exists(self, key: str) -> bool:
        try:
            self._call("head", key, self.client.head_object, Bucket=self.bucket, Key=self._name(key))
        except FileNotFoundError:
            return False
        return True

    def touch(self, key: str) -> None:
        """A copy onto itself with new metadata is S3's way to renew an object's time."""
        self._call("copy", key, self.client.copy_object, Bucket=self.bucket, Key=self._name(key),
                   CopySource={"Bucket": self.bucket, "Key": self._name(key)}, MetadataDirective="REPLACE")

    def read_bytes(self, key: str) -> bytes:
        with self.open(key) as body:
            return body.read()

    def open(self, key: str) -> IO[bytes]:
        return self._call("get", key, self.client.get_object, Bucket=self.bucket, Key=self._name(key))["Body"]

    def fetch(self, key: str, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".download")
        try:
            self._call("get", key, self.client.download_file, self.bucket, self._name(key), str(partial))
            partial.replace(path)
        finally:
            partial.unlink(missing_ok=True)
        return path

    def delete(self, key: str) -> None:
        self._call("delete", key, self.client.delete_object, Bucket=self.bucket, Key=self._name(key))

    def listing(self, prefix: str = "") -> Iterator[Stored]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self._name(prefix))
        try:
            for page in pages:
                for item in page.get("Contents", []):
                    yield Stored(item["Key"][len(self.prefix):], item["LastModified"].timestamp(), item["Size"])
        except (ClientError, BotoCoreError) as error:
            raise StoreUnavailable(f"S3 listing of {self.bucket}/{self._name(prefix)} failed: {error}") from error

    def local_path(self, key: str) -> Path | None:
        return None

    def check(self) -> None:
        self._call("check", "", self.client.head_bucket, Bucket=self.bucket)
