"""Reports for managers: the incident exports (CSV, XLSX, GeoJSON), the PDF summary and the CITES
annual illegal trade report, over the same filters as the incident list."""
