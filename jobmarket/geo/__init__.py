"""Hanoi places offline: 2025 wards, old wards through the crosswalk, address resolution and ward search."""
from .index import GeoIndex, build_index, build_index_from_files, clear_cache, get_index
from .resolve import Resolution, WardOption, resolve_address, resolve_places
from .search import WardHit, search_wards

__all__ = ["GeoIndex", "Resolution", "WardHit", "WardOption", "build_index", "build_index_from_files", "clear_cache",
           "get_index", "resolve_address", "resolve_places", "search_wards"]
