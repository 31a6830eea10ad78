"""Hanoi places offline: 2025 wards, old wards through the crosswalk, address resolution and ward search."""
from .index import GeoIndex, clear_cache, get_index
from .resolve import Resolution, WardOption, resolve_address
from .search import WardHit, search_wards

__all__ = ["GeoIndex", "Resolution", "WardHit", "WardOption", "clear_cache", "get_index", "resolve_address",
           "search_wards"]
