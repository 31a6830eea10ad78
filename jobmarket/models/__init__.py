"""The data model, one module per domain area; importing this package registers every table."""
from .accounts import ApiToken, Role, User
from .applications import Application, ApplicationEvent, ApplicationStatus, Invitation, InvitationStatus, Placement
from .employers import Employer, EmployerStatus, Vacancy, VacancySkill, VacancyStatus
from .geo import DistrictAdjacency, FormerDistrict, OldWard, Ward, WardCrosswalk
from .matching import (DbSearchVacancy, DbSearchVacancySkill, DbSearchVacancyWord, DbSearchWardDistance,
                       DbSearchWorkerSkill)
from .outbox import OutboxEntry
from .reading import OccupationAlias, ReadingPhrase, SkillAlias
from .vocab import Occupation, Skill
from .workers import WorkerProfile, worker_preferred_wards, worker_skills
from . import stats_indexes  # noqa: F401,E402  (indexes of migration 0006, on the tables above)
from .stats_summary import StatsCount, StatsFlow

__all__ = [
    "ApiToken", "Application", "ApplicationEvent", "ApplicationStatus", "DbSearchVacancy", "DbSearchVacancySkill",
    "DbSearchVacancyWord", "DbSearchWardDistance", "DbSearchWorkerSkill", "DistrictAdjacency", "Employer",
    "EmployerStatus", "FormerDistrict", "Invitation", "InvitationStatus", "Occupation", "OldWard",
    "OccupationAlias", "OutboxEntry", "Placement", "ReadingPhrase", "SkillAlias", "Role", "Skill", "StatsCount", "StatsFlow", "User", "Vacancy", "VacancySkill",
    "VacancyStatus", "Ward",
    "WardCrosswalk", "WorkerProfile", "worker_preferred_wards", "worker_skills",
]
