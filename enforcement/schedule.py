from clocks.scheduling import Job

JOBS = [
    # 公示期满撤下: decisions whose enfpub.display_period has passed leave the public pages ("公示期满").
    Job(name="enforcement.publications_expire", task="enforcement.tasks.expire_publications", every=6 * 60 * 60),
]
