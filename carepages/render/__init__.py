"""Renderers of built pages."""
