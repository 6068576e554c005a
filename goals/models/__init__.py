"""The goals app's models, one module per part of the domain.

``from goals.models import X`` is the way in for every other module; the
modules below are the layout, not part of the interface.
"""

from goals.models.activities import (
    OPEN_ACTIVITY_STATUSES,
    Activity,
    ActivityQuerySet,
    ActivityStatus,
)
from goals.models.assignments import (
    OPEN_ASSIGNMENT_STATUSES,
    Assignment,
    AssignmentQuerySet,
    AssignmentStatus,
)
from goals.models.goals import (
    CHILD_LEVEL,
    LEVEL_DEPTH,
    LIVE_STATUSES,
    OWNER_KINDS,
    PARENT_LEVEL,
    PUBLIC_STATUSES,
    SMART_FIELDS,
    Goal,
    GoalLevel,
    GoalQuerySet,
    GoalStatus,
    GoalType,
    visible_goal_q,
)
from goals.models.guarantees import ServiceGuarantee
from goals.models.indicators import (
    Direction,
    Frequency,
    Gender,
    Indicator,
    IndicatorKind,
    IndicatorLatest,
    IndicatorSource,
    KoladaValue,
    Measurement,
    Target,
)
from goals.models.periods import BudgetYear, MandatePeriod, MandatePeriodQuerySet, Vision
from goals.models.perspectives import Perspective
from goals.models.planning import PlanChoice, PlanStatus, YearPlan, YearPlanJob
from goals.models.plans import UnitPlan
from goals.models.proposals import (
    CouncilTarget,
    GoalProposal,
    ProposalComment,
    ProposalStatus,
)

# The Excel import's upload record lives with the workbook format.
from goals.workbook.models import ImportPhase, WorkbookExport, WorkbookImport

__all__ = [
    "ServiceGuarantee",
    "CHILD_LEVEL",
    "LEVEL_DEPTH",
    "LIVE_STATUSES",
    "OPEN_ACTIVITY_STATUSES",
    "OPEN_ASSIGNMENT_STATUSES",
    "OWNER_KINDS",
    "PlanChoice",
    "PlanStatus",
    "YearPlan",
    "YearPlanJob",
    "PARENT_LEVEL",
    "PUBLIC_STATUSES",
    "SMART_FIELDS",
    "Activity",
    "ActivityQuerySet",
    "ActivityStatus",
    "Assignment",
    "AssignmentQuerySet",
    "AssignmentStatus",
    "BudgetYear",
    "CouncilTarget",
    "Direction",
    "Frequency",
    "Gender",
    "Goal",
    "GoalLevel",
    "GoalProposal",
    "GoalQuerySet",
    "GoalStatus",
    "GoalType",
    "ImportPhase",
    "Indicator",
    "IndicatorKind",
    "IndicatorLatest",
    "IndicatorSource",
    "KoladaValue",
    "MandatePeriod",
    "MandatePeriodQuerySet",
    "Measurement",
    "Perspective",
    "ProposalComment",
    "ProposalStatus",
    "Target",
    "UnitPlan",
    "Vision",
    "WorkbookExport",
    "WorkbookImport",
    "visible_goal_q",
]
