"""Where a request is, and whether a home's cameras can see it.

Polygon edges are great-circle arcs. Everything geometric about a polygon runs in a
gnomonic projection around the polygon's centre, because that projection maps
great circles to straight lines: point-in-polygon and self-intersection are exact
there, and distances use the sphere itself (cross-track), so a home is matched to
within centimetres at metro scale rather than "roughly nearby".

Polygons that cross the antimeridian, reach a pole or span more than
`MAX_POLYGON_EXTENT_M` are refused rather than half-supported. Circles are plain
haversine distances, which are correct everywhere, so they need no such limits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
import itertools
import math

from .errors import Problem
from .model import Area, Circle, Polygon

EARTH_RADIUS_M = 6_371_008.8  # IUGG mean radius
# A request is about a neighbourhood; anything larger is a mistake or a dragnet.
# (Each home's guardrails are far tighter: 400 m by default.)
MAX_RADIUS_M = 50_000.0
MAX_POLYGON_EXTENT_M = 100_000.0  # also keeps the gnomonic projection near-flat
MAX_POLYGON_POINTS = 500  # self-intersection is checked pair by pair
POLE_LATITUDE = 89.9
_TOUCH_TOLERANCE_M = 1e-6  # edges within a micrometre of each other touch

type _Vec = tuple[float, float, float]
type _XY = tuple[float, float]


@dataclass(frozen=True, slots=True)
class ViewPoint:
    """A camera (or the home) at a position that sees `radius_m` around it."""

    lat: float
    lon: float
    radius_m: float = 0.0


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres.

    The atan2 form stays accurate for tiny and for near-antipodal distances.
    """
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlam = math.radians(lon2 - lon1)
    h = (
        math.sin(dphi / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(dlam / 2) ** 2
    )
    h = min(1.0, max(0.0, h))
    return 2 * EARTH_RADIUS_M * math.atan2(math.sqrt(h), math.sqrt(1 - h))


def area_m2(area: Area) -> float:
    """Surface area in m^2; a circle is pi r^2 so its equivalent radius is r."""
    if isinstance(area, Circle):
        return math.pi * area.radius_m**2
    ring = _ring(area)
    centre = _centre(ring)
    total = 0.0
    for a, b in itertools.pairwise(ring):
        total += _signed_triangle_excess(centre, a, b)
    return abs(total) * EARTH_RADIUS_M**2


def equivalent_radius_m(area: Area) -> float:
    """Radius of the circle of equal area: polygons meet the same radius limit."""
    return math.sqrt(area_m2(area) / math.pi)


def distance_to_area_m(area: Area, lat: float, lon: float) -> float:
    """Metres from a point to the nearest part of `area`; 0.0 inside.

    `area` must have passed `validate_area`: the result is meaningless otherwise.
    """
    if isinstance(area, Circle):
        return max(0.0, haversine_m(area.lat, area.lon, lat, lon) - area.radius_m)
    ring = _ring(area)
    point = _unit(lat, lon)
    centre = _centre(ring)
    if _dot(point, centre) > 0:
        projection = _Gnomonic(centre)
        if _inside(projection.xy(point), [projection.xy(v) for v in ring]):
            return 0.0
    return min(_segment_distance(point, a, b) for a, b in itertools.pairwise(ring))


def matches(area: Area, points: Iterable[ViewPoint]) -> bool:
    """True if any point sees the area, i.e. lies within its view radius of it."""
    return any(distance_to_area_m(area, p.lat, p.lon) <= p.radius_m for p in points)


def area_centre(area: Area) -> tuple[float, float]:
    """Where to pin an area on a map: a circle's centre, a polygon's vertex mean.

    The polygon's mean is taken on the sphere, the same centre the area maths
    uses, so it stays right near the antimeridian.
    """
    if isinstance(area, Circle):
        return area.lat, area.lon
    return _lat_lon(_centre(_ring(area)))


def validate_area(area: Area, path: str = "area") -> list[Problem]:
    """Every reason `area` cannot be matched reliably; empty when it can."""
    if isinstance(area, Circle):
        return _validate_circle(area, f"{path}.circle")
    return _validate_polygon(area, f"{path}.polygon")


# --- validation -------------------------------------------------------------------


def _number_problem(value: object, path: str, low: float, high: float) -> list[Problem]:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return [Problem(path, "must be a number")]
    if not math.isfinite(value):
        return [Problem(path, "must be a finite number")]
    if not low <= value <= high:
        return [Problem(path, f"{value} is outside {low:g}..{high:g}")]
    return []


def _validate_circle(circle: Circle, path: str) -> list[Problem]:
    problems = _number_problem(circle.lat, f"{path}.lat", -90, 90)
    problems += _number_problem(circle.lon, f"{path}.lon", -180, 180)
    radius: object = circle.radius_m
    rpath = f"{path}.radius_m"
    if isinstance(radius, bool) or not isinstance(radius, int | float):
        problems.append(Problem(rpath, "must be a number"))
    elif not math.isfinite(radius):
        problems.append(Problem(rpath, "must be a finite number"))
    elif radius <= 0:
        problems.append(Problem(rpath, "radius must be greater than 0 m"))
    elif radius > MAX_RADIUS_M:
        problems.append(
            Problem(
                rpath,
                f"radius {radius:g} m is larger than the {MAX_RADIUS_M:g} m limit",
            )
        )
    return problems


def _validate_polygon(polygon: Polygon, path: str) -> list[Problem]:
    points = polygon.points
    problems = _ring_problems(points, path)
    if problems:
        return problems
    ring = _ring(polygon)
    centre = _centre(ring)
    problems = _placement_problems(points, centre, path)
    if problems:
        return problems
    return _self_intersections(ring, centre, points, path)


def _ring_problems(points: Sequence[tuple[float, float]], path: str) -> list[Problem]:
    """Shape of the list itself: size, numbers, closed ring, no stutters."""
    if len(points) < 4:
        return [
            Problem(
                path,
                f"a polygon needs at least 4 points (a closed ring), got {len(points)}",
            )
        ]
    if len(points) > MAX_POLYGON_POINTS:
        return [
            Problem(
                path,
                f"polygon has {len(points)} points; at most "
                f"{MAX_POLYGON_POINTS} are supported",
            )
        ]
    problems: list[Problem] = []
    for i, (lat, lon) in enumerate(points):
        problems += _number_problem(lat, f"{path}[{i}][0]", -90, 90)
        problems += _number_problem(lon, f"{path}[{i}][1]", -180, 180)
    if problems:
        return problems
    if points[0] != points[-1]:
        problems.append(
            Problem(path, "ring is not closed: the first point must equal the last")
        )
    problems.extend(
        Problem(f"{path}[{i}]", f"repeats the previous point {list(points[i])}")
        for i in range(1, len(points))
        if points[i] == points[i - 1]
    )
    return problems


def _placement_problems(
    points: Sequence[tuple[float, float]], centre: _Vec, path: str
) -> list[Problem]:
    """Where on the globe: no poles, no antimeridian, not continent-sized."""
    if any(abs(lat) >= POLE_LATITUDE for lat, _ in points):
        return [
            Problem(
                path,
                f"touches a pole (|latitude| >= {POLE_LATITUDE:g}); "
                "polar polygons are not supported",
            )
        ]
    steps = [points[i][1] - points[i - 1][1] for i in range(1, len(points))]
    jumps = [i + 1 for i, step in enumerate(steps) if abs(step) > 180]
    if jumps:
        if abs(sum(_wrap(step) for step in steps)) > 180:
            return [Problem(path, "contains a pole; polar polygons are not supported")]
        return [
            Problem(f"{path}[{jumps[0]}]", "crosses the antimeridian; split the area")
        ]
    centre_lat, centre_lon = _lat_lon(centre)
    extent = max(haversine_m(centre_lat, centre_lon, lat, lon) for lat, lon in points)
    if extent > MAX_POLYGON_EXTENT_M:
        return [
            Problem(
                path,
                f"reaches {extent / 1000:.0f} km from its centre; at most "
                f"{MAX_POLYGON_EXTENT_M / 1000:g} km is supported",
            )
        ]
    return []


def _self_intersections(
    ring: Sequence[_Vec],
    centre: _Vec,
    points: Sequence[tuple[float, float]],
    path: str,
) -> list[Problem]:
    """One problem for the first pair of edges that cross, overlap or touch."""
    first_seen: dict[tuple[float, float], int] = {}
    for i, point in enumerate(points[:-1]):
        if point in first_seen:
            return [
                Problem(
                    f"{path}[{i}]",
                    f"touches itself: point {i} repeats point {first_seen[point]}",
                )
            ]
        first_seen[point] = i
    projection = _Gnomonic(centre)
    xy = [projection.xy(v) for v in ring]
    edges = len(xy) - 1
    order = sorted(range(edges), key=lambda e: min(xy[e][0], xy[e + 1][0]))
    for pos, i in enumerate(order):
        a, b = xy[i], xy[i + 1]
        right = max(a[0], b[0])
        for j in order[pos + 1 :]:
            c, d = xy[j], xy[j + 1]
            if min(c[0], d[0]) > right + _TOUCH_TOLERANCE_M:
                break
            first, second = min(i, j), max(i, j)
            if _edges_conflict(xy, first, second, edges):
                return [
                    Problem(
                        path,
                        f"self-intersecting: edge {first} "
                        f"({first}->{first + 1}) meets edge {second} "
                        f"({second}->{second + 1})",
                    )
                ]
    return []


def _edges_conflict(xy: Sequence[_XY], i: int, j: int, edges: int) -> bool:
    a, b, c, d = xy[i], xy[i + 1], xy[j], xy[j + 1]
    if j == i + 1:
        return _folds_back(b, a, d)
    if i == 0 and j == edges - 1:
        return _folds_back(a, b, c)
    return _segments_touch(a, b, c, d)


def _folds_back(shared: _XY, p: _XY, q: _XY) -> bool:
    """Adjacent edges shared->p and shared->q overlap (a spike back along itself)."""
    ux, uy = p[0] - shared[0], p[1] - shared[1]
    vx, vy = q[0] - shared[0], q[1] - shared[1]
    cross = ux * vy - uy * vx
    scale = max(math.hypot(ux, uy), math.hypot(vx, vy))
    return abs(cross) <= _TOUCH_TOLERANCE_M * scale and ux * vx + uy * vy > 0


def _orient(a: _XY, b: _XY, c: _XY) -> int:
    """Side of c relative to a->b, with near-collinear (within tolerance) as 0."""
    cross = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
    length = math.hypot(b[0] - a[0], b[1] - a[1])
    if abs(cross) <= _TOUCH_TOLERANCE_M * length:
        return 0
    return 1 if cross > 0 else -1


def _within_box(a: _XY, b: _XY, c: _XY) -> bool:
    tol = _TOUCH_TOLERANCE_M
    return (
        min(a[0], b[0]) - tol <= c[0] <= max(a[0], b[0]) + tol
        and min(a[1], b[1]) - tol <= c[1] <= max(a[1], b[1]) + tol
    )


def _segments_touch(a: _XY, b: _XY, c: _XY, d: _XY) -> bool:
    o1, o2 = _orient(a, b, c), _orient(a, b, d)
    o3, o4 = _orient(c, d, a), _orient(c, d, b)
    if o1 != o2 and o3 != o4 and 0 not in (o1, o2, o3, o4):
        return True
    return (
        (o1 == 0 and _within_box(a, b, c))
        or (o2 == 0 and _within_box(a, b, d))
        or (o3 == 0 and _within_box(c, d, a))
        or (o4 == 0 and _within_box(c, d, b))
    )


# --- spherical vectors ------------------------------------------------------------


def _wrap(degrees: float) -> float:
    return (degrees + 180.0) % 360.0 - 180.0


def _unit(lat: float, lon: float) -> _Vec:
    phi, lam = math.radians(lat), math.radians(lon)
    return (math.cos(phi) * math.cos(lam), math.cos(phi) * math.sin(lam), math.sin(phi))


def _lat_lon(v: _Vec) -> tuple[float, float]:
    x, y, z = v
    return math.degrees(math.atan2(z, math.hypot(x, y))), math.degrees(math.atan2(y, x))


def _dot(a: _Vec, b: _Vec) -> float:
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


def _cross(a: _Vec, b: _Vec) -> _Vec:
    return (
        a[1] * b[2] - a[2] * b[1],
        a[2] * b[0] - a[0] * b[2],
        a[0] * b[1] - a[1] * b[0],
    )


def _add(a: _Vec, b: _Vec) -> _Vec:
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2])


def _sub(a: _Vec, b: _Vec) -> _Vec:
    return (a[0] - b[0], a[1] - b[1], a[2] - b[2])


def _norm(a: _Vec) -> float:
    return math.sqrt(_dot(a, a))


def _normalise(a: _Vec) -> _Vec:
    n = _norm(a)
    return (a[0] / n, a[1] / n, a[2] / n)


def _angle(a: _Vec, b: _Vec) -> float:
    """Angle between unit vectors; atan2 keeps it exact for tiny angles."""
    return math.atan2(_norm(_cross(a, b)), _dot(a, b))


def _ring(polygon: Polygon) -> list[_Vec]:
    return [_unit(lat, lon) for lat, lon in polygon.points]


def _centre(ring: Sequence[_Vec]) -> _Vec:
    """Normalised mean of the distinct vertices (the ring's closing point skipped)."""
    vertices = ring[:-1]
    return _normalise(
        (
            sum(v[0] for v in vertices),
            sum(v[1] for v in vertices),
            sum(v[2] for v in vertices),
        )
    )


def _signed_triangle_excess(c: _Vec, a: _Vec, b: _Vec) -> float:
    """Signed spherical excess of triangle c-a-b (Van Oosterom & Strackee).

    The triple product is taken on differences from `c`, which is algebraically
    equal but keeps precision for metre-sized triangles.
    """
    triple = _dot(c, _cross(_sub(a, c), _sub(b, c)))
    return 2 * math.atan2(triple, 1 + _dot(c, a) + _dot(a, b) + _dot(b, c))


def _segment_distance(p: _Vec, a: _Vec, b: _Vec) -> float:
    """Metres from p to the great-circle arc a-b (cross-track, or the nearer end)."""
    # (a+b) x (b-a) = 2 a x b, but loses far less precision for nearby a and b
    normal = _cross(_add(a, b), _sub(b, a))
    if _norm(normal) == 0.0:
        return _angle(p, a) * EARTH_RADIUS_M
    n = _normalise(normal)
    off = _dot(p, n)
    foot = (p[0] - off * n[0], p[1] - off * n[1], p[2] - off * n[2])
    if _norm(foot) > 0.0:
        foot = _normalise(foot)
        if _dot(_cross(a, foot), n) >= 0 and _dot(_cross(foot, b), n) >= 0:
            return _angle(p, foot) * EARTH_RADIUS_M
    return min(_angle(p, a), _angle(p, b)) * EARTH_RADIUS_M


class _Gnomonic:
    """Tangent-plane projection in metres; great circles become straight lines."""

    def __init__(self, centre: _Vec) -> None:
        lat, lon = _lat_lon(centre)
        phi, lam = math.radians(lat), math.radians(lon)
        self._centre = centre
        self._east: _Vec = (-math.sin(lam), math.cos(lam), 0.0)
        self._north: _Vec = (
            -math.sin(phi) * math.cos(lam),
            -math.sin(phi) * math.sin(lam),
            math.cos(phi),
        )

    def xy(self, v: _Vec) -> _XY:
        scale = EARTH_RADIUS_M / _dot(v, self._centre)
        return _dot(v, self._east) * scale, _dot(v, self._north) * scale


def _inside(point: _XY, ring: Sequence[_XY]) -> bool:
    """Even-odd ray casting; the ring is closed (first == last)."""
    x, y = point
    inside = False
    for (x1, y1), (x2, y2) in itertools.pairwise(ring):
        if (y1 > y) != (y2 > y):
            x_cross = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
            if x < x_cross:
                inside = not inside
    return inside
