"""Geo maths and area validation: exact numbers, pinned reasons, and properties."""

from __future__ import annotations

import math

from hypothesis import given, settings, strategies as st
import pytest

from custom_components.neighborhood_requests.protocol import geo
from custom_components.neighborhood_requests.protocol.errors import Problem
from custom_components.neighborhood_requests.protocol.geo import (
    EARTH_RADIUS_M,
    ViewPoint,
    area_m2,
    distance_to_area_m,
    equivalent_radius_m,
    haversine_m,
    matches,
    validate_area,
)
from custom_components.neighborhood_requests.protocol.model import Circle, Polygon

ONE_DEGREE_M = EARTH_RADIUS_M * math.pi / 180  # 111_195.08 m along a great circle


def destination(
    lat: float, lon: float, bearing: float, distance: float
) -> tuple[float, float]:
    """Point `distance` metres from (lat, lon) at `bearing` degrees, by other maths."""
    d = distance / EARTH_RADIUS_M
    phi1, lam1, theta = map(math.radians, (lat, lon, bearing))
    phi2 = math.asin(
        math.sin(phi1) * math.cos(d) + math.cos(phi1) * math.sin(d) * math.cos(theta)
    )
    lam2 = lam1 + math.atan2(
        math.sin(theta) * math.sin(d) * math.cos(phi1),
        math.cos(d) - math.sin(phi1) * math.sin(phi2),
    )
    lon2 = (math.degrees(lam2) + 180) % 360 - 180
    return math.degrees(phi2), lon2


def regular_polygon(lat: float, lon: float, radius: float, n: int) -> Polygon:
    ring = [destination(lat, lon, 360 * i / n, radius) for i in range(n)]
    return Polygon((*ring, ring[0]))


def brute_distance(polygon: Polygon, lat: float, lon: float, samples: int) -> float:
    """Distance to the ring sampled along each great-circle edge (slerp)."""
    best = math.inf
    for (lat1, lon1), (lat2, lon2) in zip(
        polygon.points, polygon.points[1:], strict=False
    ):
        a = geo._unit(lat1, lon1)
        b = geo._unit(lat2, lon2)
        omega = geo._angle(a, b)
        for k in range(samples + 1):
            t = k / samples
            wa = math.sin((1 - t) * omega) / math.sin(omega)
            wb = math.sin(t * omega) / math.sin(omega)
            v = tuple(wa * x + wb * y for x, y in zip(a, b, strict=True))
            plat, plon = geo._lat_lon(v)  # type: ignore[arg-type]
            best = min(best, haversine_m(lat, lon, plat, plon))
    return best


# Equator/meridian edges are great circles, so distances to them are exact.
EQUATOR_SQUARE = Polygon(
    ((0.0, 0.0), (0.0, 0.01), (0.01, 0.01), (0.01, 0.0), (0.0, 0.0))
)
# An L-shape (concave): a 0.02 deg square with its north-east quarter removed.
L_SHAPE = Polygon(
    (
        (0.0, 0.0),
        (0.0, 0.02),
        (0.01, 0.02),
        (0.01, 0.01),
        (0.02, 0.01),
        (0.02, 0.0),
        (0.0, 0.0),
    )
)
METRO_SQUARE = Polygon(
    (
        (41.60, -73.00),
        (41.60, -72.99),
        (41.61, -72.99),
        (41.61, -73.00),
        (41.60, -73.00),
    )
)

lats = st.floats(min_value=-89.0, max_value=89.0)
lons = st.floats(min_value=-180.0, max_value=180.0)


# --- haversine ------------------------------------------------------------------


def test_haversine_one_degree_of_latitude() -> None:
    assert haversine_m(0, 0, 1, 0) == pytest.approx(111_195.08, abs=0.01)
    assert haversine_m(41.6, -73.0, 42.6, -73.0) == pytest.approx(ONE_DEGREE_M)


def test_haversine_same_point_is_zero_and_antipode_is_half_circumference() -> None:
    assert haversine_m(41.6, -73.0, 41.6, -73.0) == 0.0
    assert haversine_m(10, 20, -10, -160) == pytest.approx(math.pi * EARTH_RADIUS_M)


def test_haversine_across_the_antimeridian_is_short() -> None:
    assert haversine_m(0, 179.999, 0, -179.999) == pytest.approx(
        0.002 * ONE_DEGREE_M, rel=1e-9
    )


def test_haversine_resolves_centimetres() -> None:
    # 1e-7 degrees of latitude is 1.1 cm
    assert haversine_m(41.6, -73.0, 41.6000001, -73.0) == pytest.approx(
        0.0111195, rel=1e-4
    )


@given(lats, lons, lats, lons)
def test_haversine_is_symmetric_and_bounded(
    lat1: float, lon1: float, lat2: float, lon2: float
) -> None:
    d = haversine_m(lat1, lon1, lat2, lon2)
    assert d == pytest.approx(haversine_m(lat2, lon2, lat1, lon1), abs=1e-6)
    assert 0.0 <= d <= math.pi * EARTH_RADIUS_M + 1e-6


points = st.tuples(lats, lons)


@given(points, points, points)
def test_haversine_triangle_inequality(
    a: tuple[float, float], b: tuple[float, float], c: tuple[float, float]
) -> None:
    (lat1, lon1), (lat2, lon2), (lat3, lon3) = a, b, c
    ab = haversine_m(lat1, lon1, lat2, lon2)
    bc = haversine_m(lat2, lon2, lat3, lon3)
    ac = haversine_m(lat1, lon1, lat3, lon3)
    assert ac <= ab + bc + 1e-6


@given(lats, lons, st.floats(0, 360), st.floats(0, 50_000))
def test_haversine_agrees_with_destination(
    lat: float, lon: float, bearing: float, distance: float
) -> None:
    lat2, lon2 = destination(lat, lon, bearing, distance)
    assert haversine_m(lat, lon, lat2, lon2) == pytest.approx(distance, abs=1e-3)


# --- circles --------------------------------------------------------------------


def test_circle_distance_is_distance_to_centre_minus_radius() -> None:
    circle = Circle(41.6, -73.0, 300.0)
    lat, lon = destination(41.6, -73.0, 45, 1_000)
    assert distance_to_area_m(circle, lat, lon) == pytest.approx(700.0, abs=1e-6)


def test_circle_distance_is_zero_inside_and_on_the_rim() -> None:
    circle = Circle(41.6, -73.0, 300.0)
    assert distance_to_area_m(circle, 41.6, -73.0) == 0.0
    lat, lon = destination(41.6, -73.0, 200, 299.9)
    assert distance_to_area_m(circle, lat, lon) == 0.0


def test_circle_across_the_antimeridian_is_handled() -> None:
    circle = Circle(0.0, 179.999, 500.0)
    assert validate_area(circle) == []
    # 222 m away on the other side of the antimeridian
    assert distance_to_area_m(circle, 0.0, -179.999) == 0.0
    assert distance_to_area_m(circle, 0.0, -179.99) == pytest.approx(
        0.011 * ONE_DEGREE_M - 500, abs=1e-6
    )


def test_circle_over_a_pole_is_handled() -> None:
    circle = Circle(89.95, 0.0, 10_000.0)
    assert validate_area(circle) == []
    # the far side of the pole: 0.1 degrees (11.1 km) from the centre
    assert distance_to_area_m(circle, 89.95, 180.0) == pytest.approx(
        0.1 * ONE_DEGREE_M - 10_000, abs=1e-3
    )
    assert distance_to_area_m(circle, 90.0, 0.0) == 0.0


@given(
    lats,
    lons,
    st.floats(1, 50_000),
    st.floats(0, 360),
    st.floats(0, 0.999),
)
def test_point_inside_circle_matches(
    lat: float, lon: float, radius: float, bearing: float, fraction: float
) -> None:
    circle = Circle(lat, lon, radius)
    plat, plon = destination(lat, lon, bearing, radius * fraction)
    assert distance_to_area_m(circle, plat, plon) == 0.0
    assert matches(circle, [ViewPoint(plat, plon)])


@given(lats, lons, st.floats(1, 5_000), st.floats(0, 360), st.floats(2, 20_000))
def test_point_outside_circle_needs_a_view_radius(
    lat: float, lon: float, radius: float, bearing: float, gap: float
) -> None:
    circle = Circle(lat, lon, radius)
    plat, plon = destination(lat, lon, bearing, radius + gap)
    assert distance_to_area_m(circle, plat, plon) == pytest.approx(gap, abs=1e-3)
    assert not matches(circle, [ViewPoint(plat, plon, gap - 1)])
    assert matches(circle, [ViewPoint(plat, plon, gap + 1)])


# --- polygons: distance ---------------------------------------------------------


def test_polygon_inside_is_zero() -> None:
    assert distance_to_area_m(EQUATOR_SQUARE, 0.005, 0.005) == 0.0
    assert distance_to_area_m(METRO_SQUARE, 41.605, -72.995) == 0.0


def test_polygon_distance_to_equator_edge_is_exact() -> None:
    assert distance_to_area_m(EQUATOR_SQUARE, -0.005, 0.005) == pytest.approx(
        0.005 * ONE_DEGREE_M, abs=1e-6
    )


def test_polygon_distance_to_meridian_edge_is_cross_track() -> None:
    # distance from (lat, -0.003) to the meridian lon=0 is asin(cos(lat) sin(dlon)) R
    expected = (
        math.asin(math.cos(math.radians(0.005)) * math.sin(math.radians(0.003)))
        * EARTH_RADIUS_M
    )
    assert distance_to_area_m(EQUATOR_SQUARE, 0.005, -0.003) == pytest.approx(
        expected, abs=1e-6
    )


def test_polygon_distance_beyond_a_corner_is_distance_to_the_corner() -> None:
    assert distance_to_area_m(EQUATOR_SQUARE, -0.003, -0.004) == pytest.approx(
        haversine_m(-0.003, -0.004, 0.0, 0.0), abs=1e-6
    )


def test_concave_polygon_notch_is_outside() -> None:
    assert validate_area(L_SHAPE) == []
    assert distance_to_area_m(L_SHAPE, 0.005, 0.005) == 0.0
    assert distance_to_area_m(L_SHAPE, 0.015, 0.005) == 0.0
    # in the notch, 0.002 deg east of the inner meridian edge lon=0.01
    notch = distance_to_area_m(L_SHAPE, 0.018, 0.012)
    assert notch == pytest.approx(0.002 * ONE_DEGREE_M, rel=1e-4)


def test_polygon_great_circle_edge_bulges_towards_the_pole() -> None:
    # the northern edge at 41.61 is a great circle, which bulges north by about
    # L^2 tan(lat) / 8R = 1.2 cm over its 832 m; the meridian distance is 1111.95 m
    north = distance_to_area_m(METRO_SQUARE, 41.62, -72.995)
    assert north == pytest.approx(0.01 * ONE_DEGREE_M - 0.012, abs=0.002)


def test_polygon_distance_from_the_far_hemisphere() -> None:
    # the corner farthest from the antipode (0, 0) is the nearest to (0, 180)
    d = distance_to_area_m(EQUATOR_SQUARE, 0.0, 180.0)
    expected = math.pi * EARTH_RADIUS_M - haversine_m(0, 0, 0.01, 0.01)
    assert d == pytest.approx(expected, abs=1e-3)


def test_segment_distance_from_the_pole_of_the_arc() -> None:
    # the north pole is 90 degrees from every point on the equator
    a, b = geo._unit(0, 0), geo._unit(0, 10)
    for pole in (geo._unit(90, 0), (0.0, 0.0, 1.0)):
        assert geo._segment_distance(pole, a, b) == pytest.approx(90 * ONE_DEGREE_M)


def test_degenerate_polygon_does_not_crash() -> None:
    # invalid (validate_area refuses it) but distance must still be a number
    stutter = Polygon(((0.0, 0.0), (0.0, 0.0), (0.0, 0.01), (0.01, 0.0), (0.0, 0.0)))
    assert distance_to_area_m(stutter, -0.001, -0.001) == pytest.approx(
        haversine_m(-0.001, -0.001, 0, 0), abs=1e-6
    )


@settings(max_examples=60, deadline=None)
@given(
    st.floats(-60, 60),
    st.floats(-179, 179),
    st.floats(200, 3_000),
    st.integers(3, 9),
    st.tuples(st.floats(0, 360), st.floats(0, 6_000)),
)
def test_polygon_distance_agrees_with_brute_force(
    lat: float, lon: float, radius: float, n: int, offset: tuple[float, float]
) -> None:
    bearing, distance = offset
    polygon = regular_polygon(lat, lon, radius, n)
    assert validate_area(polygon) == []
    plat, plon = destination(lat, lon, bearing, distance)
    exact = distance_to_area_m(polygon, plat, plon)
    inradius = radius * math.cos(math.pi / n)
    if distance < inradius - 0.01:
        assert exact == 0.0
    elif distance > radius + 0.01:
        assert exact > 0.0
    if exact > 0.0:
        edge = 2 * radius * math.sin(math.pi / n)
        samples = 400
        brute = brute_distance(polygon, plat, plon, samples)
        # sampling can only overestimate, by at most half a sample step
        # (0.1 mm slack for floating point: far below any camera's precision)
        assert exact <= brute + 1e-4
        assert brute - exact <= edge / samples / 2 + 1e-4


def test_matches_any_view_point() -> None:
    far = ViewPoint(41.70, -73.0, 50)
    near = ViewPoint(41.6, -72.985, 500)  # about 418 m east of the square
    assert not matches(METRO_SQUARE, [far])
    assert matches(METRO_SQUARE, [far, near])
    assert not matches(METRO_SQUARE, [])


def test_matches_at_exactly_the_view_radius() -> None:
    circle = Circle(0.0, 0.0, 100.0)
    lat, lon = 0.0, 0.01  # 1111.95 m east of the centre
    gap = distance_to_area_m(circle, lat, lon)
    assert matches(circle, [ViewPoint(lat, lon, gap)])
    assert not matches(circle, [ViewPoint(lat, lon, gap - 0.001)])


# --- area -----------------------------------------------------------------------


def test_circle_area_and_equivalent_radius() -> None:
    circle = Circle(41.6, -73.0, 400.0)
    assert area_m2(circle) == pytest.approx(math.pi * 160_000)
    assert equivalent_radius_m(circle) == pytest.approx(400.0)


def test_square_area_on_the_equator() -> None:
    # 0.01 deg of longitude at the equator and of latitude are both 1111.95 m
    assert area_m2(EQUATOR_SQUARE) == pytest.approx(
        (0.01 * ONE_DEGREE_M) ** 2, rel=1e-4
    )


def test_square_area_at_latitude_shrinks_with_cosine() -> None:
    expected = (0.01 * ONE_DEGREE_M) ** 2 * math.cos(math.radians(41.605))
    assert area_m2(METRO_SQUARE) == pytest.approx(expected, rel=1e-4)


def test_polygon_area_does_not_depend_on_orientation() -> None:
    reverse = Polygon(tuple(reversed(METRO_SQUARE.points)))
    assert area_m2(reverse) == pytest.approx(area_m2(METRO_SQUARE), rel=1e-12)


def test_many_sided_polygon_area_approaches_the_circle() -> None:
    polygon = regular_polygon(41.6, -73.0, 400.0, 360)
    assert validate_area(polygon) == []
    assert equivalent_radius_m(polygon) == pytest.approx(400.0, rel=1e-4)


def test_concave_polygon_area() -> None:
    assert area_m2(L_SHAPE) == pytest.approx(3 * (0.01 * ONE_DEGREE_M) ** 2, rel=1e-3)


# --- validation: circles --------------------------------------------------------


def test_valid_circle_has_no_problems() -> None:
    assert validate_area(Circle(41.6, -73.0, 300.0)) == []
    assert validate_area(Circle(-90.0, 180.0, 50_000.0)) == []


@pytest.mark.parametrize(
    ("circle", "problem"),
    [
        (
            Circle(91.0, 0.0, 10.0),
            Problem("area.circle.lat", "91.0 is outside -90..90"),
        ),
        (
            Circle(0.0, -180.5, 10.0),
            Problem("area.circle.lon", "-180.5 is outside -180..180"),
        ),
        (
            Circle(math.nan, 0.0, 10.0),
            Problem("area.circle.lat", "must be a finite number"),
        ),
        (
            Circle(0.0, math.inf, 10.0),
            Problem("area.circle.lon", "must be a finite number"),
        ),
        (Circle(True, 0.0, 10.0), Problem("area.circle.lat", "must be a number")),
        (Circle(0.0, "1", 10.0), Problem("area.circle.lon", "must be a number")),  # type: ignore[arg-type]
        (
            Circle(0.0, 0.0, 0.0),
            Problem("area.circle.radius_m", "radius must be greater than 0 m"),
        ),
        (
            Circle(0.0, 0.0, -5.0),
            Problem("area.circle.radius_m", "radius must be greater than 0 m"),
        ),
        (
            Circle(0.0, 0.0, 50_000.5),
            Problem(
                "area.circle.radius_m",
                "radius 50000.5 m is larger than the 50000 m limit",
            ),
        ),
        (
            Circle(0.0, 0.0, math.inf),
            Problem("area.circle.radius_m", "must be a finite number"),
        ),
        (Circle(0.0, 0.0, None), Problem("area.circle.radius_m", "must be a number")),  # type: ignore[arg-type]
    ],
)
def test_invalid_circle(circle: Circle, problem: Problem) -> None:
    assert validate_area(circle) == [problem]


def test_circle_reports_every_problem_under_the_given_path() -> None:
    assert validate_area(Circle(-95.0, 200.0, 0.0), "requests[2].area") == [
        Problem("requests[2].area.circle.lat", "-95.0 is outside -90..90"),
        Problem("requests[2].area.circle.lon", "200.0 is outside -180..180"),
        Problem("requests[2].area.circle.radius_m", "radius must be greater than 0 m"),
    ]


# --- validation: polygons -------------------------------------------------------


def test_valid_polygons_have_no_problems() -> None:
    assert validate_area(EQUATOR_SQUARE) == []
    assert validate_area(METRO_SQUARE) == []
    triangle = Polygon(((0.0, 0.0), (0.0, 0.01), (0.01, 0.0), (0.0, 0.0)))
    assert validate_area(triangle) == []


def test_polygon_with_too_few_points() -> None:
    ring = Polygon(((0.0, 0.0), (0.0, 0.01), (0.0, 0.0)))
    assert validate_area(ring) == [
        Problem(
            "area.polygon", "a polygon needs at least 4 points (a closed ring), got 3"
        )
    ]


def test_polygon_with_too_many_points() -> None:
    polygon = regular_polygon(0.0, 0.0, 1_000.0, 500)  # 501 with the closing point
    assert validate_area(polygon) == [
        Problem("area.polygon", "polygon has 501 points; at most 500 are supported")
    ]
    assert validate_area(regular_polygon(0.0, 0.0, 1_000.0, 499)) == []


def test_polygon_not_closed() -> None:
    ring = Polygon(((0.0, 0.0), (0.0, 0.01), (0.01, 0.01), (0.01, 0.0)))
    assert validate_area(ring) == [
        Problem(
            "area.polygon", "ring is not closed: the first point must equal the last"
        )
    ]


def test_polygon_repeated_consecutive_vertices_all_reported() -> None:
    ring = Polygon(
        ((0.0, 0.0), (0.0, 0.01), (0.0, 0.01), (0.01, 0.01), (0.01, 0.01), (0.0, 0.0))
    )
    assert validate_area(ring) == [
        Problem("area.polygon[2]", "repeats the previous point [0.0, 0.01]"),
        Problem("area.polygon[4]", "repeats the previous point [0.01, 0.01]"),
    ]


def test_polygon_not_closed_and_repeated_reported_together() -> None:
    ring = Polygon(((0.0, 0.0), (0.0, 0.01), (0.0, 0.01), (0.01, 0.0)))
    assert validate_area(ring) == [
        Problem(
            "area.polygon", "ring is not closed: the first point must equal the last"
        ),
        Problem("area.polygon[2]", "repeats the previous point [0.0, 0.01]"),
    ]


def test_polygon_vertex_out_of_range_or_not_finite() -> None:
    ring = Polygon(
        ((0.0, 0.0), (95.0, 0.01), (0.01, math.nan), (0.01, 0.0), (0.0, 0.0))
    )
    assert validate_area(ring) == [
        Problem("area.polygon[1][0]", "95.0 is outside -90..90"),
        Problem("area.polygon[2][1]", "must be a finite number"),
    ]


def test_bow_tie_is_self_intersecting() -> None:
    bow = Polygon(((0.0, 0.0), (0.0, 0.01), (0.01, 0.0), (0.01, 0.01), (0.0, 0.0)))
    assert validate_area(bow) == [
        Problem("area.polygon", "self-intersecting: edge 1 (1->2) meets edge 3 (3->4)")
    ]


def test_figure_eight_touching_at_a_vertex() -> None:
    eight = Polygon(
        (
            (0.0, 0.0),
            (0.0, 0.01),
            (0.01, 0.01),
            (0.02, 0.02),
            (0.02, 0.01),
            (0.01, 0.01),
            (0.01, 0.0),
            (0.0, 0.0),
        )
    )
    assert validate_area(eight) == [
        Problem("area.polygon[5]", "touches itself: point 5 repeats point 2")
    ]


def test_vertex_touching_a_non_adjacent_edge() -> None:
    # vertex 4 sits on the middle of edge 0, which runs along the meridian lon=0
    touch = Polygon(
        (
            (0.0, 0.0),
            (0.02, 0.0),
            (0.02, 0.01),
            (0.015, 0.01),
            (0.01, 0.0),
            (0.005, 0.01),
            (0.0, 0.01),
            (0.0, 0.0),
        )
    )
    assert validate_area(touch) == [
        Problem("area.polygon", "self-intersecting: edge 0 (0->1) meets edge 3 (3->4)")
    ]


def test_collinear_overlap_between_non_adjacent_edges() -> None:
    # edges 0 and 2 both run along the equator and overlap
    overlap = Polygon(
        (
            (0.0, 0.0),
            (0.0, 0.02),
            (-0.01, 0.015),
            (0.0, 0.01),
            (0.0, 0.005),
            (0.01, 0.0),
            (0.0, 0.0),
        )
    )
    problems = validate_area(overlap)
    assert len(problems) == 1
    assert problems[0].path == "area.polygon"
    assert problems[0].reason.startswith("self-intersecting: edge 0 (0->1) meets edge ")


def test_spike_folding_back_along_its_own_edge() -> None:
    spike = Polygon(((0.0, 0.0), (0.0, 0.02), (0.0, 0.01), (0.01, 0.01), (0.0, 0.0)))
    assert validate_area(spike) == [
        Problem("area.polygon", "self-intersecting: edge 0 (0->1) meets edge 1 (1->2)")
    ]


def test_closing_edge_folding_back_over_the_first() -> None:
    spike = Polygon(((0.0, 0.0), (0.0, 0.02), (0.01, 0.02), (0.0, 0.01), (0.0, 0.0)))
    assert validate_area(spike) == [
        Problem("area.polygon", "self-intersecting: edge 0 (0->1) meets edge 3 (3->4)")
    ]


def test_collinear_triangle_has_no_area_and_is_refused() -> None:
    flat = Polygon(((0.0, 0.0), (0.0, 0.01), (0.0, 0.02), (0.0, 0.0)))
    assert validate_area(flat) == [
        Problem("area.polygon", "self-intersecting: edge 0 (0->1) meets edge 2 (2->3)")
    ]


def test_polygon_crossing_the_antimeridian() -> None:
    ring = Polygon(
        ((0.0, 179.99), (0.0, -179.99), (0.01, -179.99), (0.01, 179.99), (0.0, 179.99))
    )
    assert validate_area(ring) == [
        Problem("area.polygon[1]", "crosses the antimeridian; split the area")
    ]


def test_polygon_next_to_the_antimeridian_is_fine() -> None:
    ring = Polygon(
        ((0.0, 179.99), (0.0, 180.0), (0.01, 180.0), (0.01, 179.99), (0.0, 179.99))
    )
    assert validate_area(ring) == []
    assert distance_to_area_m(ring, 0.005, -179.999) == pytest.approx(
        0.001 * ONE_DEGREE_M, rel=1e-6
    )


def test_polygon_around_a_pole() -> None:
    ring = Polygon(
        ((89.5, 0.0), (89.5, 90.0), (89.5, 180.0), (89.5, -90.0), (89.5, 0.0))
    )
    assert validate_area(ring) == [
        Problem("area.polygon", "contains a pole; polar polygons are not supported")
    ]


@pytest.mark.parametrize("lat", [89.9, -89.95, 90.0])
def test_polygon_touching_a_pole(lat: float) -> None:
    ring = Polygon(((89.0, 0.0), (lat, 0.0), (89.0, 1.0), (89.0, 0.0)))
    assert validate_area(ring) == [
        Problem(
            "area.polygon",
            "touches a pole (|latitude| >= 89.9); polar polygons are not supported",
        )
    ]


def test_polygon_larger_than_the_supported_extent() -> None:
    big = Polygon(((0.0, 0.0), (0.0, 2.0), (2.0, 2.0), (2.0, 0.0), (0.0, 0.0)))
    assert validate_area(big) == [
        Problem(
            "area.polygon",
            "reaches 157 km from its centre; at most 100 km is supported",
        )
    ]
    assert validate_area(regular_polygon(10.0, 10.0, 99_000, 12)) == []


def test_polygon_problem_paths_follow_the_given_prefix() -> None:
    ring = Polygon(((0.0, 0.0), (0.0, 0.01), (0.0, 0.0)))
    assert validate_area(ring, "requests[0].area") == [
        Problem(
            "requests[0].area.polygon",
            "a polygon needs at least 4 points (a closed ring), got 3",
        )
    ]


@settings(max_examples=50, deadline=None)
@given(
    st.floats(-80, 80),
    st.floats(-170, 170),  # 10 degrees from the antimeridian: must not cross it
    st.floats(50, 50_000),
    st.integers(3, 40),
)
def test_regular_polygons_are_valid_and_contain_their_centre(
    lat: float, lon: float, radius: float, n: int
) -> None:
    polygon = regular_polygon(lat, lon, radius, n)
    assert validate_area(polygon) == []
    assert distance_to_area_m(polygon, lat, lon) == 0.0
    assert matches(polygon, [ViewPoint(lat, lon)])


def test_area_centre_pins_circles_and_polygons() -> None:
    circle = Circle(41.6, -73.0, 300.0)
    assert geo.area_centre(circle) == (41.6, -73.0)
    square = Polygon(
        ((10.0, 20.0), (10.0, 22.0), (12.0, 22.0), (12.0, 20.0), (10.0, 20.0))
    )
    lat, lon = geo.area_centre(square)
    assert lat == pytest.approx(11.0, abs=0.01)
    assert lon == pytest.approx(21.0, abs=1e-9)
    # Across the antimeridian a plain mean of longitudes would land near 0°.
    dateline = Polygon(
        ((0.0, 179.0), (0.0, -179.0), (1.0, -179.0), (1.0, 179.0), (0.0, 179.0))
    )
    assert abs(geo.area_centre(dateline)[1]) == pytest.approx(180.0, abs=1e-9)
