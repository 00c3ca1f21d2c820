"""Reading a rendered instrument back: body paragraphs, tables (each merged cell once) and footers."""

import io

from docx import Document


def document_of(instrument):
    with instrument.file.open("rb") as fh:
        return Document(io.BytesIO(fh.read()))


def table_text(document) -> str:
    parts = []
    for table in document.tables:
        for row in table.rows:
            seen = set()
            for cell in row.cells:
                if id(cell._tc) in seen:
                    continue
                seen.add(id(cell._tc))
                parts.append(cell.text)
    return "\n".join(parts)


def full_text(document) -> str:
    section = document.sections[0]
    footers = [p.text for footer in (section.footer, section.even_page_footer) for p in footer.paragraphs]
    return "\n".join([p.text for p in document.paragraphs] + [table_text(document)] + footers)


def labels_of(document) -> set[str]:
    """The texts of the cells of each table (labels and values)."""
    return {cell.text for table in document.tables for row in table.rows for cell in row.cells}
