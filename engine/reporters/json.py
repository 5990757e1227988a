"""The machine-readable contract (schemas/report.schema.json describes it), written file by file."""

from __future__ import annotations

import textwrap

from ..model.report import FileResult, Tally
from . import Reporter as Base, json_text

FORMAT_VERSION = 2


def _dump(data: object) -> str:
    return json_text(data)


class Reporter(Base):
    first = True

    def begin(self) -> str:
        return f'{{\n  "version": {FORMAT_VERSION},\n  "lang": {_dump(self.lang)},\n  "files": ['

    def file(self, result: FileResult) -> str:
        sep = "\n" if self.first else ",\n"
        self.first = False
        return sep + textwrap.indent(_dump(result.to_dict(self.lang)), "    ")

    def end(self, tally: Tally) -> str:
        close = "]" if self.first else "\n  ]"
        return f'{close},\n  "summary": {textwrap.indent(_dump(tally.to_dict()), "  ").lstrip()}\n}}\n'
