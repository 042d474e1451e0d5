"""H.264 parameter sets: which ones a keyframe carries, and a sample description
for them.

A camera told to change its resolution mid-stream sends new SPS/PPS in-band,
before the next keyframe; a recorder copying the stream keeps the description
(`avcC`) it started with, so the MP4 names the old size for the new pictures.
Decoders follow the in-band sets and show the right pictures, but the file says
otherwise. The joiner therefore reads the sets each keyframe carries and, where
they differ from the description, describes the frames from there on with a
new sample entry built from them (this module), so the clip's sample
descriptions are right.
"""

from __future__ import annotations

import struct

NAL_SPS = 7
NAL_PPS = 8
_VCL = frozenset(range(1, 6))  # coded slices: parameter sets come before them
# profile_idc values whose SPS carries chroma format and bit depths.
_HIGH_PROFILES = frozenset(
    {100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135}
)
# Bytes of a keyframe's start that hold its parameter sets (they are small).
HEAD_BYTES = 4096


type ParameterSets = tuple[bytes, bytes]  # (SPS, PPS) NAL units


def length_size(entry: bytes) -> int | None:
    """The NAL length field size (bytes) an `avc1`/`avc3` sample entry's `avcC`
    declares, or None without one."""
    at = entry.find(b"avcC")
    if at < 4 or at + 9 > len(entry):
        return None
    return (entry[at + 8] & 0x03) + 1


def described_sets(entry: bytes) -> ParameterSets | None:
    """The first SPS and PPS in a sample entry's `avcC`, or None."""
    at = entry.find(b"avcC")
    if at < 4:
        return None
    body = at + 4
    try:
        count = entry[body + 5] & 0x1F
        offset = body + 6
        sps = b""
        for index in range(count):
            (size,) = struct.unpack_from(">H", entry, offset)
            if index == 0:
                sps = entry[offset + 2 : offset + 2 + size]
            offset += 2 + size
        pps_count = entry[offset]
        offset += 1
        (size,) = struct.unpack_from(">H", entry, offset)
        pps = entry[offset + 2 : offset + 2 + size] if pps_count else b""
    except IndexError, struct.error:
        return None
    return (sps, pps) if sps and pps else None


def carried_sets(head: bytes, size_field: int) -> ParameterSets | None:
    """The SPS and PPS a sample carries in-band before its first slice."""
    sps = pps = b""
    at = 0
    while at + size_field <= len(head):
        size = int.from_bytes(head[at : at + size_field])
        at += size_field
        if size == 0 or at >= len(head):
            break
        kind = head[at] & 0x1F
        if kind in _VCL:
            break
        nal = head[at : at + size]
        if kind == NAL_SPS and not sps:
            sps = nal
        elif kind == NAL_PPS and not pps:
            pps = nal
        at += size
    return (sps, pps) if sps and pps else None


class _Bits:
    """An exp-Golomb reader over an RBSP (emulation prevention removed)."""

    def __init__(self, nal: bytes) -> None:
        self.data = nal[1:].replace(b"\x00\x00\x03", b"\x00\x00")
        self.at = 0

    def bit(self) -> int:
        byte = self.data[self.at >> 3]
        value = (byte >> (7 - (self.at & 7))) & 1
        self.at += 1
        return value

    def bits(self, count: int) -> int:
        value = 0
        for _ in range(count):
            value = value << 1 | self.bit()
        return value

    def ue(self) -> int:
        zeros = 0
        while not self.bit():
            zeros += 1
            if zeros > 31:
                raise ValueError("exp-Golomb code too long")
        return (1 << zeros) - 1 + self.bits(zeros)

    def se(self) -> int:
        code = self.ue()
        return (code + 1) // 2 if code & 1 else -(code // 2)


def picture_size(sps: bytes) -> tuple[int, int] | None:
    """Width and height (after cropping) an SPS describes, or None."""
    try:
        return _picture_size(_Bits(sps))
    except IndexError, ValueError:
        return None


def _picture_size(bits: _Bits) -> tuple[int, int]:
    profile = bits.bits(8)
    bits.bits(16)  # constraint flags, level
    bits.ue()  # seq_parameter_set_id
    chroma = 1
    if profile in _HIGH_PROFILES:
        chroma = bits.ue()
        if chroma == 3:
            bits.bit()  # separate_colour_plane_flag
        bits.ue()  # bit depths
        bits.ue()
        bits.bit()  # qpprime_y_zero_transform_bypass_flag
        if bits.bit():  # seq_scaling_matrix_present_flag
            for index in range(12 if chroma == 3 else 8):
                if bits.bit():
                    _skip_scaling_list(bits, 16 if index < 6 else 64)
    bits.ue()  # log2_max_frame_num_minus4
    order = bits.ue()
    if order == 0:
        bits.ue()
    elif order == 1:
        bits.bit()
        bits.se()
        bits.se()
        for _ in range(bits.ue()):
            bits.se()
    bits.ue()  # max_num_ref_frames
    bits.bit()  # gaps_in_frame_num_value_allowed_flag
    width_mbs = bits.ue() + 1
    height_units = bits.ue() + 1
    frames_only = bits.bit()
    if not frames_only:
        bits.bit()  # mb_adaptive_frame_field_flag
    bits.bit()  # direct_8x8_inference_flag
    width = width_mbs * 16
    height = (2 - frames_only) * height_units * 16
    if bits.bit():  # frame_cropping_flag
        left, right, top, bottom = bits.ue(), bits.ue(), bits.ue(), bits.ue()
        unit_x = 1 if chroma in (0, 3) else 2
        unit_y = (2 - frames_only) * (2 if chroma == 1 else 1)
        width -= unit_x * (left + right)
        height -= unit_y * (top + bottom)
    if width <= 0 or height <= 0:
        raise ValueError("cropped to nothing")
    return width, height


def _skip_scaling_list(bits: _Bits, size: int) -> None:
    last = following = 8
    for _ in range(size):
        if following:
            following = (last + bits.se() + 256) % 256
        last = following or last


def sample_entry(entry: bytes, sets: ParameterSets) -> bytes | None:
    """`entry` (an `avc1`/`avc3` sample entry box) describing `sets` instead:
    its `avcC` rebuilt from them and its width and height theirs."""
    sps, pps = sets
    size = picture_size(sps)
    at = entry.find(b"avcC")
    if size is None or at < 4 or len(sps) < 4:
        return None
    (old_size,) = struct.unpack_from(">I", entry, at - 4)
    old = entry[at - 4 : at - 4 + old_size]
    config = (
        bytes((1, sps[1], sps[2], sps[3], 0xFC | (old[12] & 0x03), 0xE1))
        + struct.pack(">H", len(sps))
        + sps
        + b"\x01"
        + struct.pack(">H", len(pps))
        + pps
    )
    avcc = struct.pack(">I", len(config) + 8) + b"avcC" + config
    rebuilt = bytearray(entry[: at - 4] + avcc + entry[at - 4 + old_size :])
    struct.pack_into(">I", rebuilt, 0, len(rebuilt))
    struct.pack_into(">HH", rebuilt, 32, *size)
    return bytes(rebuilt)
