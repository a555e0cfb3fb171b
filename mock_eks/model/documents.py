"""The one bounded loader for documents that arrive inside a string member.

``configurationValues`` (JSON or YAML) and a pod identity association's ``policy`` (JSON) are parsed by
the mock. A caller controls them completely, so their cost is bounded before and while they are read:
size in characters, nesting depth, and for YAML the number of nodes after alias expansion (a few hundred
bytes of anchors and aliases otherwise expand to millions of nodes: the "billion laughs"). Anything
outside the bounds, or not a document at all, is a ``DocumentError`` that the operation turns into its
invalid-parameter error.
"""

from __future__ import annotations

import copy
import json
from typing import Any

MAX_CHARS = 64 * 1024  # far above any real add-on configuration or IAM session policy
MAX_DEPTH = 32
MAX_NODES = 10_000  # YAML nodes after alias expansion


class DocumentError(ValueError):
    """The text is not a document of the expected kind, or exceeds the bounds."""


class _NotJSON(DocumentError):
    """Not JSON syntax (YAML may still read it)."""


def _check_depth(document: Any) -> None:
    stack: list[tuple[Any, int]] = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise DocumentError(f"the document nests deeper than {MAX_DEPTH} levels")
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))


def _load_json(text: str) -> Any:
    try:
        document = json.loads(text)
    except RecursionError:
        raise DocumentError(f"the document nests deeper than {MAX_DEPTH} levels") from None
    except ValueError as error:  # includes integers longer than Python's digit limit
        raise _NotJSON(f"not valid JSON ({error})") from None
    _check_depth(document)
    return document


def _check_yaml_graph(root: Any) -> None:
    """Walk the composed node graph as construction would (aliases expanded), within the bounds."""
    from yaml.nodes import MappingNode, SequenceNode

    count = 0
    stack: list[tuple[Any, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        count += 1
        if count > MAX_NODES:
            raise DocumentError(f"the document expands to more than {MAX_NODES} nodes (YAML aliases)")
        if depth > MAX_DEPTH:
            raise DocumentError(f"the document nests deeper than {MAX_DEPTH} levels")
        if isinstance(node, SequenceNode):
            stack.extend((child, depth + 1) for child in node.value)
        elif isinstance(node, MappingNode):
            for key, value in node.value:
                stack.append((key, depth + 1))
                stack.append((value, depth + 1))


def _load_yaml(text: str) -> Any:
    import yaml

    try:
        # the reader checks the characters as it is made: "a\x7f" is a ReaderError here already
        loader = yaml.SafeLoader(text)
    except yaml.YAMLError as error:
        raise DocumentError(f"not valid JSON or YAML ({str(error)[:200]})") from None
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_yaml_graph(node)
        return loader.construct_document(node)
    except RecursionError:
        raise DocumentError(f"the document nests deeper than {MAX_DEPTH} levels") from None
    except (yaml.YAMLError, ValueError, TypeError) as error:
        raise DocumentError(f"not valid JSON or YAML ({str(error)[:200]})") from None
    finally:
        loader.dispose()


def load(text: str, *, yaml_allowed: bool = False) -> Any:
    """The document in ``text`` (JSON, or YAML where allowed), within MAX_CHARS, MAX_DEPTH and MAX_NODES."""
    if len(text) > MAX_CHARS:
        raise DocumentError(f"the document is longer than {MAX_CHARS} characters")
    try:
        return _load_json(text)
    except _NotJSON:
        if not yaml_allowed:
            raise
    return _load_yaml(text)


def merge_patch(target: Any, patch: Any) -> Any:
    """``patch`` applied to ``target`` as a JSON merge patch (RFC 7386): objects merge member by member,
    ``null`` removes a member, anything else replaces. ``target`` is not changed."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result
