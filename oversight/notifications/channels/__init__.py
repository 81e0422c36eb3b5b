"""Notification channels: group robots (企业微信, 钉钉, 飞书) and outgoing webhooks, with a delivery log.

See docs/notification-channels.md and docs/adr/0034-notification-channels-delivery.md."""
