"""The data model, one module per domain area; importing this package registers every table."""
from .accounts import ApiToken, Role, User
from .audit import AuditEvent
from .applications import Application, ApplicationEvent, ApplicationStatus, Invitation, InvitationStatus, Placement
from .employers import Employer, EmployerStatus, Vacancy, VacancySkill, VacancyStatus
from .geo import DistrictAdjacency, FormerDistrict, OldWard, Ward, WardCrosswalk
from .matching import (DbSearchTerm, DbSearchVacancy, DbSearchVacancySkill, DbSearchVacancyWord, DbSearchWardDistance,
                       DbSearchWorkerSkill)
from .notifications import AlertHit, AlertedVacancy, JobAlert, Notification, NotificationSetting, QueuedJob
from .outbox import OutboxEntry
from .reading import OccupationAlias, ReadingPhrase, SkillAlias
from .search_synonyms import SearchSynonym
from .vocab import Occupation, Skill
from .workers import WorkerProfile, worker_preferred_wards, worker_skills
from . import stats_indexes  # noqa: F401,E402  (indexes of migration 0006, on the tables above)
from .stats_summary import StatsCount, StatsFlow
from .sessions import (InterviewRequest, JobSession, SessionEmployer, SessionFloor, SessionNotice,  # noqa: E402
                       SessionSeeker, SessionVacancy)

__all__ = [
    "ApiToken", "Application", "ApplicationEvent", "ApplicationStatus", "AuditEvent", "DbSearchTerm", "DbSearchVacancy",
    "DbSearchVacancySkill",
    "DbSearchVacancyWord", "DbSearchWardDistance", "DbSearchWorkerSkill", "DistrictAdjacency", "Employer",
    "EmployerStatus", "FormerDistrict", "Invitation", "InvitationStatus", "Occupation", "OldWard",
    "OccupationAlias", "OutboxEntry", "Placement", "ReadingPhrase", "Role", "SearchSynonym", "Skill", "SkillAlias",
    "StatsCount", "StatsFlow", "User", "Vacancy", "VacancySkill",
    "VacancyStatus", "Ward",
    "WardCrosswalk", "WorkerProfile", "worker_preferred_wards", "worker_skills",
    "InterviewRequest", "JobSession", "SessionEmployer", "SessionFloor", "SessionNotice", "SessionSeeker",
    "SessionVacancy",
    "AlertHit", "AlertedVacancy", "JobAlert", "Notification", "NotificationSetting", "QueuedJob",
]
