"""Account services: the user's own second-factor device."""

from django_otp.plugins.otp_totp.models import TOTPDevice


def totp_device_for(user) -> tuple[TOTPDevice, bool]:
    """The user's TOTP device, created unconfirmed on first use; returns (device, enrolling)."""
    device = TOTPDevice.objects.filter(user=user).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="动态口令", confirmed=False)
    return device, not device.confirmed
