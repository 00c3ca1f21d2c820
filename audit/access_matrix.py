from access.matrix import Entry
from access.roles import Role


def _security_entry(town):
    from audit.services import record

    return {"pk": record(action="accounts.login", town=town, object_type="accounts.user", object_id="1").pk}


MATRIX = {
    "audit:entry_list": Entry(allowed={Role.AUDITOR}),
    "audit:security_list": Entry(allowed={Role.AUDITOR, Role.SECADMIN}),
    # A security event of the town: auditors and security admins see it; another town's → 404.
    "audit:entry_detail": Entry(allowed={Role.AUDITOR, Role.SECADMIN}, kwargs=_security_entry),
    "audit:verification_list": Entry(allowed={Role.AUDITOR}),
    "audit:verification_run": Entry(allowed={Role.AUDITOR}, method="post", ok=(302,)),
}
