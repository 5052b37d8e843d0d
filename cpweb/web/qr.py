"""QR codes as inline SVG, made on the server: no outside service, no script, no inline style."""
import io

from markupsafe import Markup


def qr_svg(text: str, label: str) -> Markup:
    """Safe as Markup: segno escapes what goes in, and only our own URLs and keys do."""
    import segno  # for the two pages with a QR code, not in every worker

    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="svg", xmldecl=False, svgns=True, omitsize=True, border=2,
                                     svgclass="qr", title=label, dark="#000")
    return Markup(out.getvalue().decode().replace("<svg ", '<svg role="img" ', 1))
