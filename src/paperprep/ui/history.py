"""History views: a service's inspections over time (a timeline and a small chart of judgements), and a topic's
history across meetings, like a published "issue history" page. Both read through the store, and follow changes
to inspections, agenda items and topics while open."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from paperprep.domain import Judgement
from paperprep.ops import Changes, Kind
from paperprep.queries import lists
from paperprep.queries.lists import InspectionHistoryRow, TopicHistoryRow
from paperprep.ui.models import RowTableModel, uk_date
from paperprep.ui.store import Store

GRADES = (Judgement.INADEQUATE, Judgement.REQUIRES_IMPROVEMENT, Judgement.GOOD, Judgement.OUTSTANDING)
WATCHED = (Kind.INSPECTIONS, Kind.AGENDA, Kind.TOPICS, Kind.MEETINGS, Kind.RESOLUTIONS)


def _refill(combo: QComboBox, entries: list[tuple[str, object]]) -> None:
    """Replace a combo box's entries, keeping the chosen one if it is still there, without signalling."""
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    for label, data in entries:
        combo.addItem(label, data)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    combo.blockSignals(False)


class InspectionTimelineModel(RowTableModel):
    headers = ("Date", "Activity", "Inspectorate", "Judgement", "Previous", "Committee", "Minute")

    def display(self, row: InspectionHistoryRow, column: int) -> Any:
        i = row.inspection
        previous = i.previous_judgement.label if i.previous_judgement else ""
        return (
            row.date_text,
            i.activity.label,
            i.inspectorate.label,
            i.overall.label,
            previous,
            row.committee,
            f"{row.minute_ref}. {row.item_title}",
        )[column]


class JudgementChart(QWidget):
    """Judgements over time on the four-point scale; visits that give no grade show as hollow marks."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("judgementChart")
        self.setAccessibleName("Chart of judgements over time")
        self.setMinimumHeight(170)
        self.rows: list[InspectionHistoryRow] = []

    def set_rows(self, rows: list[InspectionHistoryRow]) -> None:
        self.rows = rows
        self.setToolTip("; ".join(f"{r.date_text}: {r.inspection.overall.label}" for r in rows))
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        accent = palette.color(QPalette.ColorRole.Highlight)
        metrics = painter.fontMetrics()
        left = 16 + max(metrics.horizontalAdvance(g.label) for g in GRADES)
        top, right, bottom = 10, self.width() - 40, self.height() - 25
        painter.setPen(QPen(text, 1))
        for n, grade in enumerate(GRADES):
            y = bottom - n * (bottom - top) / (len(GRADES) - 1)
            painter.drawText(
                QRectF(0, y - 9, left - 8, 18),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                grade.label,
            )
            painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1, Qt.PenStyle.DotLine))
            painter.drawLine(QPointF(left, y), QPointF(right, y))
            painter.setPen(QPen(text, 1))
        if not self.rows:
            painter.drawText(
                QRectF(left, top, right - left, bottom - top),
                int(Qt.AlignmentFlag.AlignCenter),
                "No inspections recorded",
            )
            return
        first, last = self.rows[0].date.toordinal(), self.rows[-1].date.toordinal()
        span = max(1, last - first)
        points: list[QPointF] = []
        for row in self.rows:
            x = (
                left + (row.date.toordinal() - first) * (right - left) / span
                if len(self.rows) > 1
                else (left + right) / 2
            )
            rank = row.inspection.overall.rank
            graded = rank is not None
            value = (
                rank
                if rank is not None
                else (
                    row.inspection.previous_judgement.rank
                    if row.inspection.previous_judgement and row.inspection.previous_judgement.rank
                    else 1
                )
            )
            y = bottom - (value - 1) * (bottom - top) / (len(GRADES) - 1)
            painter.setPen(QPen(accent, 2))
            painter.setBrush(accent if graded else Qt.BrushStyle.NoBrush)
            painter.drawEllipse(QPointF(x, y), 5, 5)
            if graded:
                points.append(QPointF(x, y))
            painter.setPen(QPen(text, 1))
            painter.drawText(
                QRectF(x - 40, bottom + 4, 80, 18), int(Qt.AlignmentFlag.AlignHCenter), f"{row.date:%m/%Y}"
            )
        painter.setPen(QPen(accent, 2))
        for a, b in zip(points, points[1:], strict=False):
            painter.drawLine(a, b)


class InspectionHistoryDialog(QDialog):
    openItem = Signal(int, int)

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inspectionHistory")
        self.setWindowTitle("Inspection history")
        self.store = store
        self.service = QComboBox()
        self.service.setObjectName("historyService")
        self.service.setAccessibleName("Service")
        self.model = InspectionTimelineModel(self)
        self.table = QTableView()
        self.table.setObjectName("inspectionTimeline")
        self.table.setAccessibleName("Inspections over time")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.activated.connect(
            lambda index: self.openItem.emit(
                self.model.rows[index.row()].meeting_id, self.model.rows[index.row()].item_id
            )
        )
        self.chart = JudgementChart()
        top = QHBoxLayout()
        label = QLabel("&Service")
        label.setBuddy(self.service)
        top.addWidget(label)
        top.addWidget(self.service, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.chart)
        layout.addWidget(self.table, 1)
        self.resize(950, 560)
        self._fill_services()
        if self.service.count() > 1:
            self.service.setCurrentIndex(1)
        self.service.currentIndexChanged.connect(lambda _i: self.reload())
        store.changed.connect(self._changed)
        self.reload()

    def _fill_services(self) -> None:
        services = self.store.read(lists.services_inspected)
        _refill(self.service, [("All services", None), *((name, name) for name in services)])

    def _changed(self, changes: Changes) -> None:
        if changes.touches(*WATCHED):
            self._fill_services()
            self.reload()

    def reload(self) -> None:
        rows = self.store.read(lists.inspection_history, self.service.currentData())
        self.model.set_rows(rows)
        self.chart.set_rows(rows)


class TopicModel(RowTableModel):
    headers = ("Meeting", "Committee", "Minute", "Title", "Decisions")

    def display(self, row: TopicHistoryRow, column: int) -> Any:
        return (
            uk_date(row.meeting_date),
            row.committee,
            row.minute_ref,
            row.title,
            " / ".join(row.decisions),
        )[column]


class TopicHistoryDialog(QDialog):
    openItem = Signal(int, int)

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("topicHistory")
        self.setWindowTitle("Topic history")
        self.store = store
        self.topic = QComboBox()
        self.topic.setObjectName("historyTopic")
        self.topic.setAccessibleName("Topic")
        self._fill_topics()
        self.model = TopicModel(self)
        self.table = QTableView()
        self.table.setObjectName("topicTimeline")
        self.table.setAccessibleName("Where the topic came up")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.activated.connect(
            lambda index: self.openItem.emit(
                self.model.rows[index.row()].meeting_id, self.model.rows[index.row()].item_id
            )
        )
        label = QLabel("&Topic")
        label.setBuddy(self.topic)
        top = QHBoxLayout()
        top.addWidget(label)
        top.addWidget(self.topic, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        self.resize(950, 480)
        self.topic.currentIndexChanged.connect(lambda _i: self.reload())
        store.changed.connect(self._changed)
        self.reload()

    def _fill_topics(self) -> None:
        _refill(self.topic, [(t.name, t.id) for t in self.store.read(lists.topics)])

    def _changed(self, changes: Changes) -> None:
        if changes.touches(*WATCHED):
            self._fill_topics()
            self.reload()

    def reload(self) -> None:
        topic_id = self.topic.currentData()
        self.model.set_rows(self.store.read(lists.topic_history, topic_id) if topic_id is not None else [])
