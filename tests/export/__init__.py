"""Tests for the clip export engine, with real ffmpeg on generated footage."""
