"""Alert delivery: a webhook (JSON POST signed with HMAC-SHA256) and e-mail over SMTP.

Configuration is a small strict YAML file (``bidvet monitor --notify FILE``)::

    webhook:
      url: https://alerts.example.org/bidvet
      secret_env: BIDVET_WEBHOOK_SECRET   # the variable holding the signing secret
      max_attempts: 5                     # then the delivery is dead-lettered
      backoff_seconds: 2                  # doubled after each failed attempt
      timeout_seconds: 10
    email:
      host: 127.0.0.1
      port: 25
      from: bidvet@example.org
      to: [security-office@example.org]
      max_attempts: 5

The webhook body is the alert as JSON; the header ``X-Bidvet-Signature: sha256=<hex>`` is the
HMAC-SHA256 of the body with the secret. Each delivery's state (attempts, last error, ``pending``
/ ``delivered`` / ``dead``) is kept in the store, so a run that is interrupted resumes and a
delivered alert is never sent again.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import smtplib
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path

from pydantic import Field

from bidvet.errors import ConfigError
from bidvet.store import monitoring
from bidvet.store.db import Store
from bidvet.store.monitoring import AlertRow
from bidvet.yamlconfig import StrictModel, read_yaml, validate_data

SIGNATURE_HEADER = "X-Bidvet-Signature"


class WebhookConfig(StrictModel):
    url: str = Field(pattern=r"^https?://")
    secret_env: str = Field(min_length=1)
    max_attempts: int = Field(default=5, ge=1, le=50)
    backoff_seconds: float = Field(default=2.0, ge=0)
    timeout_seconds: float = Field(default=10.0, gt=0)


class EmailConfig(StrictModel):
    host: str
    port: int = Field(default=25, ge=1, le=65535)
    from_: str = Field(alias="from", min_length=3)
    to: list[str] = Field(min_length=1)
    max_attempts: int = Field(default=5, ge=1, le=50)
    backoff_seconds: float = Field(default=2.0, ge=0)
    timeout_seconds: float = Field(default=10.0, gt=0)


class NotifyConfig(StrictModel):
    webhook: WebhookConfig | None = None
    email: EmailConfig | None = None

    def channels(self) -> list[str]:
        return [n for n, c in (("webhook", self.webhook), ("email", self.email)) if c]


def load_notify_config(path: str | Path) -> NotifyConfig:
    path = Path(path)
    config = validate_data(
        path, read_yaml(path), NotifyConfig, fix_top="give `webhook:` and/or `email:` settings"
    )
    if config.webhook and not os.environ.get(config.webhook.secret_env):
        raise ConfigError(
            path,
            f"webhook.secret_env names {config.webhook.secret_env}, which is not set",
            fix=f"export {config.webhook.secret_env}=<the shared secret>",
        )
    return config


def sign(body: bytes, secret: str) -> str:
    """The signature header's value: ``sha256=`` and the HMAC-SHA256 of ``body``."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def alert_document(alert: AlertRow) -> dict[str, object]:
    return {
        "id": alert.id,
        "watch_id": alert.watch_id,
        "raised_at": alert.raised_at.isoformat(),
        "as_of": alert.as_of.isoformat(),
        "summary": alert.summary,
        **alert.body,
    }


def post_webhook(config: WebhookConfig, alert: AlertRow) -> None:
    body = json.dumps(alert_document(alert), sort_keys=True, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(
        config.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            SIGNATURE_HEADER: sign(body, os.environ[config.secret_env]),
        },
    )
    with urllib.request.urlopen(request, timeout=config.timeout_seconds) as response:
        if response.status >= 300:  # pragma: no cover - urllib raises for these
            raise OSError(f"HTTP {response.status}")


def send_email(config: EmailConfig, alert: AlertRow) -> None:
    message = EmailMessage()
    message["Subject"] = f"[bidvet] alert {alert.id}: {alert.summary}"[:250]
    message["From"] = config.from_
    message["To"] = ", ".join(config.to)
    message.set_content(
        alert.summary
        + "\n\n"
        + json.dumps(alert_document(alert), indent=2, sort_keys=True, ensure_ascii=False)
    )
    with smtplib.SMTP(config.host, config.port, timeout=config.timeout_seconds) as smtp:
        smtp.send_message(message)


def deliver(
    store: Store, config: NotifyConfig, *, sleep: Callable[[float], None] = time.sleep
) -> dict[str, int]:
    """Send every pending delivery, retrying with exponential backoff; a delivery that fails
    ``max_attempts`` times is dead-lettered (kept in the store with its last error)."""
    counts = {"delivered": 0, "dead": 0}
    for row in monitoring.pending_deliveries(store):
        channel = config.webhook if row.channel == "webhook" else config.email
        if channel is None:
            continue
        alert = monitoring.alert(store, row.alert_id)
        attempts, error = row.attempts, None
        while attempts < channel.max_attempts:
            if attempts > row.attempts:
                sleep(channel.backoff_seconds * 2 ** (attempts - row.attempts - 1))
            attempts += 1
            try:
                if isinstance(channel, WebhookConfig):
                    post_webhook(channel, alert)
                else:
                    send_email(channel, alert)
            except (OSError, urllib.error.URLError, smtplib.SMTPException) as exc:
                error = f"{type(exc).__name__}: {exc}"
                continue
            monitoring.record_delivery(
                store, row.alert_id, row.channel, status="delivered", attempts=attempts, error=None
            )
            counts["delivered"] += 1
            break
        else:
            monitoring.record_delivery(
                store, row.alert_id, row.channel, status="dead", attempts=attempts, error=error
            )
            counts["dead"] += 1
    return counts
