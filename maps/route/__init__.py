"""The route planner: request parsing, trips and days, visiting order, links, exports and its map."""
