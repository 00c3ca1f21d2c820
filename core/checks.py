import hashlib

from django.core.checks import Error, register


@register()
def sm3_available(app_configs, **kwargs):
    errors = []
    if "sm3" not in hashlib.algorithms_available:
        errors.append(Error("OpenSSL in this Python has no SM3: the audit chain cannot be computed.", id="fazhi.E001"))
        return errors
    # Known-answer test, GB/T 32905-2016 example 1.
    if hashlib.new("sm3", b"abc").hexdigest() != "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0":
        errors.append(Error("SM3 known-answer test failed.", id="fazhi.E002"))
    return errors
