"""The doctor-visit report (QtGui for PDF at most; never QtWidgets)."""
