"""The Export menu's commands, bound to the window they run for (see ui.actions for the entries themselves)."""

from __future__ import annotations

from paperprep.domain import Audience
from paperprep.ui import export_actions as word
from paperprep.ui import export_actions_xlsx as excel
from paperprep.ui import printing
from paperprep.ui.export_actions import ExportHost


class ExportCommands:
    def __init__(self, host: ExportHost) -> None:
        self.host = host

    def agenda_public(self) -> None:
        word.export_paper(self.host, "agenda", Audience.PUBLIC)

    def agenda_confidential(self) -> None:
        word.export_paper(self.host, "agenda", Audience.CONFIDENTIAL)

    def minutes_public(self) -> None:
        word.export_paper(self.host, "minutes", Audience.PUBLIC)

    def minutes_confidential(self) -> None:
        word.export_paper(self.host, "minutes", Audience.CONFIDENTIAL)

    def agenda_pdf(self) -> None:
        word.export_paper(self.host, "agenda", Audience.PUBLIC, pdf=True)

    def minutes_pdf_public(self) -> None:
        word.export_paper(self.host, "minutes", Audience.PUBLIC, pdf=True)

    def minutes_pdf_confidential(self) -> None:
        word.export_paper(self.host, "minutes", Audience.CONFIDENTIAL, pdf=True)

    def pack_public(self) -> None:
        word.export_pack(self.host, Audience.PUBLIC)

    def pack_confidential(self) -> None:
        word.export_pack(self.host, Audience.CONFIDENTIAL)

    def choose_template(self) -> None:
        word.choose_template(self.host)

    def use_house_template(self) -> None:
        word.use_house_template(self.host)

    def action_log_public(self) -> None:
        excel.export_action_log(self.host, Audience.PUBLIC)

    def action_log_confidential(self) -> None:
        excel.export_action_log(self.host, Audience.CONFIDENTIAL)

    def decisions(self) -> None:
        excel.export_decisions(self.host, Audience.PUBLIC)

    def decisions_confidential(self) -> None:
        excel.export_decisions(self.host, Audience.CONFIDENTIAL)

    def print_paper(self) -> None:
        printing.print_paper(self.host, preview=False)

    def print_preview(self) -> None:
        printing.print_paper(self.host, preview=True)

    def import_updates(self) -> None:
        excel.import_updates(self.host)
