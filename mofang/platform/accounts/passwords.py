"""Password policy pieces that Django does not ship: a phone validator and one-time passwords.

The policy itself is settings.AUTH_PASSWORD_VALIDATORS: at least 8 characters, not a common
password, not all digits, not like the username/name/e-mail/phone, and not containing the phone.
"""

import re
import secrets

from django.contrib.auth.password_validation import MinimumLengthValidator as DjangoMinimumLength
from django.core.exceptions import ValidationError
from django.utils.translation import gettext

# no 0/O, 1/l/I: a one-time password is read off a screen or an SMS and typed in
_LETTERS = "ABCDEFGHJKMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz"
_DIGITS = "23456789"
ONE_TIME_LENGTH = 10


class MinimumLengthValidator(DjangoMinimumLength):
    """Django's rule with a Chinese message (Django's zh_Hans catalogue misses its 5.x wording)."""

    def get_error_message(self):
        return f"密码太短，至少需要{self.min_length}个字符"

    def get_help_text(self):
        return f"密码至少{self.min_length}个字符"


class PhoneNumberValidator:
    """Refuses a password that contains the user's mobile number, or 6+ of its last digits, or
    that the number contains (a birthday-like 8 digits cut from the phone)."""

    def __init__(self, min_digits: int = 6):
        self.min_digits = min_digits

    def validate(self, password, user=None):
        phone = re.sub(r"\D", "", getattr(user, "phone", "") or "")
        if len(phone) < self.min_digits:
            return
        digits = re.sub(r"\D", "", password)
        tail = phone[-self.min_digits :]
        if tail in password or (len(digits) >= self.min_digits and digits in phone):
            raise ValidationError(gettext("密码不能包含您的手机号或其中连续的数字"), code="password_like_phone")

    def get_help_text(self):
        return "密码不能包含您的手机号。"


def one_time_password() -> str:
    """A random password shown once (or sent by SMS); the user must change it at the next login."""
    chars = [secrets.choice(_LETTERS) for _ in range(ONE_TIME_LENGTH - 3)]
    chars += [secrets.choice(_DIGITS) for _ in range(3)]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)
