"""Regenerate the default Word template shipped in src/paperprep/resources/template.docx."""

from pathlib import Path

from paperprep.export.docx_styles import build_default_template

if __name__ == "__main__":
    target = Path(__file__).resolve().parents[1] / "src" / "paperprep" / "resources" / "template.docx"
    build_default_template(target)
    print(f"Written {target}")
