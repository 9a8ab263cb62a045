"""The thin web layer: blueprints that turn requests into domain calls."""
