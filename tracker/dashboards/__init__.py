"""Dashboards per category: KPIs, trends, breakdowns and a map, read from monthly rollups that
every incident write keeps current, with drill-down into the incident list."""
