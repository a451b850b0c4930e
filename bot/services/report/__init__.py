"""/report: a PDF of a chosen period to take to a session (no ``telegram`` here).

``period``: the periods and filters offered and typed dates read (pure); ``document``: what
goes into the report, streamed from the store; ``pdf``: the layout (fpdf2); ``chart``: the
intensity chart as SVG.
"""
