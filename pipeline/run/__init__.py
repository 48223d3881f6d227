"""Driving the stages: the build and its notebooks, the kernel, freshness, the manifest, preview,
batch, verify and the lab. Imports every stage; none imports it."""
