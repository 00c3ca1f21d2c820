"""Where a point lies: inside the town, and in which grid (GeoJSON polygons, ray casting; no GIS needed)."""

from __future__ import annotations

import math

# Without a town boundary, a point farther than this from the town centre is "outside the town".
MAX_KM_FROM_CENTRE = 25.0


def _in_ring(lng: float, lat: float, ring) -> bool:
    inside = False
    n = len(ring)
    if n < 3:
        return False
    j = n - 1
    for i in range(n):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > lat) != (yj > lat):
            x_cross = (xj - xi) * (lat - yi) / ((yj - yi) or 1e-300) + xi
            if lng < x_cross:
                inside = not inside
        j = i
    return inside


def _in_polygon(lng: float, lat: float, rings) -> bool:
    if not rings or not _in_ring(lng, lat, rings[0]):
        return False
    return not any(_in_ring(lng, lat, hole) for hole in rings[1:])


def contains(geojson, lat: float, lng: float) -> bool:
    """True when (lat, lng) lies in a GeoJSON Polygon, MultiPolygon, Feature or FeatureCollection."""
    if not geojson or not isinstance(geojson, dict):
        return False
    kind = geojson.get("type")
    if kind == "FeatureCollection":
        return any(contains(f, lat, lng) for f in geojson.get("features") or [])
    if kind == "Feature":
        return contains(geojson.get("geometry"), lat, lng)
    if kind == "Polygon":
        return _in_polygon(lng, lat, geojson.get("coordinates"))
    if kind == "MultiPolygon":
        return any(_in_polygon(lng, lat, poly) for poly in geojson.get("coordinates") or [])
    return False


def distance_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    r = 6371.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def in_town(town, lat: float, lng: float, grids=()) -> bool:
    """Inside the town boundary; without one, inside a grid or near the town centre."""
    if town.boundary:
        return contains(town.boundary, lat, lng)
    bounded = [g for g in grids if g.boundary]
    if bounded:
        return any(contains(g.boundary, lat, lng) for g in bounded)
    if town.centre_lat is not None and town.centre_lng is not None:
        return distance_km(lat, lng, town.centre_lat, town.centre_lng) <= MAX_KM_FROM_CENTRE
    return True


def grid_at(grids, lat: float, lng: float):
    for g in grids:
        if g.boundary and contains(g.boundary, lat, lng):
            return g
    return None
